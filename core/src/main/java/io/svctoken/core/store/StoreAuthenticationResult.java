package io.svctoken.core.store;

/** The answer of one token store: success or not, and which store it was. */
public record StoreAuthenticationResult(boolean success, TokenSource source) {

    private static final StoreAuthenticationResult[] SUCCESS = {new StoreAuthenticationResult(true, TokenSource.FILE),
            new StoreAuthenticationResult(true, TokenSource.INDEX)};
    private static final StoreAuthenticationResult[] FAILURE = {new StoreAuthenticationResult(false, TokenSource.FILE),
            new StoreAuthenticationResult(false, TokenSource.INDEX)};

    /** Shared instances: caches hold many of these. */
    public static StoreAuthenticationResult of(boolean success, TokenSource source) {
        return (success ? SUCCESS : FAILURE)[source.ordinal()];
    }

    public static StoreAuthenticationResult success(TokenSource source) {
        return of(true, source);
    }

    public static StoreAuthenticationResult failure(TokenSource source) {
        return of(false, source);
    }
}
