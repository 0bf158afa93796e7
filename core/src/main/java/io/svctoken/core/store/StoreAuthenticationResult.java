package io.svctoken.core.store;

/** The answer of one token store: success or not, and which store it was. */
public record StoreAuthenticationResult(boolean success, TokenSource source) {

    public static StoreAuthenticationResult success(TokenSource source) {
        return new StoreAuthenticationResult(true, source);
    }

    public static StoreAuthenticationResult failure(TokenSource source) {
        return new StoreAuthenticationResult(false, source);
    }
}
