package io.svctoken.core.token;

import io.svctoken.core.account.ServiceAccountId;

/** A token's identity: account plus token name; {@code ns/svc/name} is its qualified name. */
public record TokenId(ServiceAccountId accountId, String tokenName) implements Comparable<TokenId> {

    public TokenId {
        if (accountId == null) {
            throw new IllegalArgumentException("accountId is required");
        }
        TokenNames.validate(tokenName);
    }

    public static TokenId of(String principal, String tokenName) {
        return new TokenId(ServiceAccountId.fromPrincipal(principal), tokenName);
    }

    public String qualifiedName() {
        return accountId.asPrincipal() + "/" + tokenName;
    }

    @Override
    public int compareTo(TokenId o) {
        int c = accountId.compareTo(o.accountId);
        return c != 0 ? c : tokenName.compareTo(o.tokenName);
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
