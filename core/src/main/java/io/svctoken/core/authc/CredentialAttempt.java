package io.svctoken.core.authc;

/**
 * Which credential a failed authentication tried, by its non-secret name: for the audit trail and metrics.
 *
 * @param type      the kind of credential
 * @param principal the user name, the service account ({@code ns/svc}) or the API key id; null when none could be read
 * @param tokenName a service token's name, else null
 * @param reason    why it failed
 */
public record CredentialAttempt(Type type, String principal, String tokenName, Reason reason) {

    public enum Type {
        /** No {@code Authorization} header, or one of a scheme svctoken does not read. */
        NONE,
        /** Basic: a user name and password for the realms. */
        BASIC,
        /** {@code ApiKey}. */
        API_KEY,
        /** {@code Bearer} with a service account token. */
        SERVICE_TOKEN,
        /** {@code Bearer} with anything else (an OAuth2 token Elasticsearch would check). */
        BEARER
    }

    public enum Reason {
        /** No credentials. */
        MISSING,
        /** The header could not be decoded. */
        MALFORMED,
        /** The name is unknown or the secret is wrong (the two are not told apart where the store does not). */
        INVALID,
        /** The credential is valid but expired. */
        EXPIRED,
        /** The credential is valid but disabled (or its account is). */
        DISABLED,
        /** This name's failure budget from this client is spent. */
        THROTTLED,
        /** The check itself failed (the store could not be read). */
        ERROR
    }

    public static final CredentialAttempt NONE = new CredentialAttempt(Type.NONE, null, null, Reason.MISSING);

    public CredentialAttempt withReason(Reason r) {
        return new CredentialAttempt(type, principal, tokenName, r);
    }
}
