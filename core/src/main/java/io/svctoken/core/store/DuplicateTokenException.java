package io.svctoken.core.store;

import io.svctoken.core.token.TokenId;

/** The store already holds a token with that id; decided by the store's unique key. */
public class DuplicateTokenException extends Exception {

    private final transient TokenId id;

    public DuplicateTokenException(TokenId id) {
        super("token [" + id.qualifiedName() + "] already exists");
        this.id = id;
    }

    public TokenId tokenId() {
        return id;
    }
}
