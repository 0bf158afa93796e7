package io.svctoken.core.store;

/**
 * The answer of one token store: success or not, and which store it was. A success may carry the token's expiry
 * (so that a cache can end it on time); a failure of a right secret says why ({@link #refusal()}: the token is
 * expired or disabled), which only the log shows: the client gets the same answer as for a wrong secret.
 *
 * @param refusal         null for a success, an unknown token or a wrong secret
 * @param expiresAtMillis {@link #NEVER} when the token does not expire
 */
public record StoreAuthenticationResult(boolean success, TokenSource source, Refusal refusal, long expiresAtMillis) {

    public static final long NEVER = Long.MAX_VALUE;

    /** Why a token whose secret matched is refused. */
    public enum Refusal {
        EXPIRED("expired"),
        DISABLED("disabled");

        private final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }

        /** The word the log line says. */
        public String reason() {
            return reason;
        }
    }

    private static final StoreAuthenticationResult[] SUCCESS = {new StoreAuthenticationResult(true, TokenSource.FILE),
            new StoreAuthenticationResult(true, TokenSource.INDEX)};
    private static final StoreAuthenticationResult[] FAILURE = {new StoreAuthenticationResult(false, TokenSource.FILE),
            new StoreAuthenticationResult(false, TokenSource.INDEX)};

    public StoreAuthenticationResult(boolean success, TokenSource source) {
        this(success, source, null, NEVER);
    }

    /** Shared instances: caches hold many of these. */
    public static StoreAuthenticationResult of(boolean success, TokenSource source) {
        return (success ? SUCCESS : FAILURE)[source.ordinal()];
    }

    public static StoreAuthenticationResult success(TokenSource source) {
        return of(true, source);
    }

    /** A success that ends at {@code expiresAtMillis} ({@link #NEVER}: the shared instance). */
    public static StoreAuthenticationResult success(TokenSource source, long expiresAtMillis) {
        return expiresAtMillis == NEVER ? success(source) : new StoreAuthenticationResult(true, source, null, expiresAtMillis);
    }

    public static StoreAuthenticationResult failure(TokenSource source) {
        return of(false, source);
    }

    /** The secret matched but the token may not be used. */
    public static StoreAuthenticationResult refused(TokenSource source, Refusal refusal) {
        return new StoreAuthenticationResult(false, source, java.util.Objects.requireNonNull(refusal), NEVER);
    }
}
