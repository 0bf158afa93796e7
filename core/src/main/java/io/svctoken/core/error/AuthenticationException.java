package io.svctoken.core.error;

import io.svctoken.core.authc.CredentialAttempt;

/**
 * The credentials of a request were missing, wrong or could not be checked ({@link Kind#UNAUTHENTICATED}),
 * or this name's failure budget from this client is spent ({@link Kind#THROTTLED}).
 */
public final class AuthenticationException extends DomainException {

    public enum Kind {
        UNAUTHENTICATED, THROTTLED
    }

    private final Kind kind;
    private final String unsuccessfulCredentials;
    private final long retryAfterSeconds;
    private final CredentialAttempt attempt;
    private final String challenge;

    private AuthenticationException(Kind kind, String reason, Throwable cause, String unsuccessfulCredentials, long retryAfterSeconds) {
        this(kind, reason, cause, unsuccessfulCredentials, retryAfterSeconds, CredentialAttempt.NONE, null);
    }

    private AuthenticationException(Kind kind, String reason, Throwable cause, String unsuccessfulCredentials, long retryAfterSeconds,
                                    CredentialAttempt attempt, String challenge) {
        super(reason, cause);
        this.kind = kind;
        this.unsuccessfulCredentials = unsuccessfulCredentials;
        this.retryAfterSeconds = retryAfterSeconds;
        this.attempt = attempt;
        this.challenge = challenge;
    }

    /** The same refusal, saying which credential was tried (for the security events; never shown to the client). */
    public AuthenticationException withAttempt(CredentialAttempt attempt) {
        return new AuthenticationException(kind, getMessage(), getCause(), unsuccessfulCredentials, retryAfterSeconds, attempt, challenge);
    }

    /** The same refusal with a {@code WWW-Authenticate} value of its own, sent before the usual ones (as Elasticsearch adds them). */
    public AuthenticationException withChallenge(String challenge) {
        return new AuthenticationException(kind, getMessage(), getCause(), unsuccessfulCredentials, retryAfterSeconds, attempt, challenge);
    }

    /** Null unless this refusal has a challenge of its own (an expired access token's). */
    public String challenge() {
        return challenge;
    }

    /** Which credential failed and why ({@link CredentialAttempt#NONE} when the request had none, or nobody said). */
    public CredentialAttempt attempt() {
        return attempt;
    }

    public static AuthenticationException unauthenticated(String reason) {
        return new AuthenticationException(Kind.UNAUTHENTICATED, reason, null, null, 0);
    }

    /** @param unsuccessful which credential failed and why (Elasticsearch's {@code additional_unsuccessful_credentials}) */
    public static AuthenticationException unsuccessful(String reason, String unsuccessful) {
        return new AuthenticationException(Kind.UNAUTHENTICATED, reason, null, unsuccessful, 0);
    }

    /** The check itself failed (a store error): {@code cause} is shown as Elasticsearch's {@code caused_by}. */
    public static AuthenticationException failed(String reason, Throwable cause) {
        return new AuthenticationException(Kind.UNAUTHENTICATED, reason, cause, null, 0);
    }

    public static AuthenticationException throttled(String reason, long retryAfterSeconds) {
        return new AuthenticationException(Kind.THROTTLED, reason, null, null, retryAfterSeconds);
    }

    public Kind kind() {
        return kind;
    }

    /** Null unless another credential failed before the chain gave up. */
    public String unsuccessfulCredentials() {
        return unsuccessfulCredentials;
    }

    /** For {@link Kind#THROTTLED}: when the budget is back, in whole seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
