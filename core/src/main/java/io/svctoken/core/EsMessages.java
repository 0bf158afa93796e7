package io.svctoken.core;

/**
 * The one place that holds Elasticsearch's exact user-visible strings (error reasons, messages)
 * for the service-account domain. Compatibility depends on these texts byte for byte, so every
 * caller formats them through here instead of typing them again.
 */
public final class EsMessages {

    private EsMessages() {
    }

    // --- Account ids (rest-api §3.2)
    public static String accountIdFormat(String value) {
        return "a service account ID must be in the form {namespace}/{service-name}, but was [" + value + "]";
    }

    public static final String ACCOUNT_NAMESPACE_EMPTY = "the namespace of a service account ID must not be empty";
    public static final String ACCOUNT_SERVICE_EMPTY = "the service-name of a service account ID must not be empty";

    // --- Request validation (rest-api §1.2)
    public static final String NAMESPACE_REQUIRED = "service account namespace is required";
    public static final String SERVICE_REQUIRED = "service account service-name is required";

    public static String invalidTokenName(String name) {
        return "invalid service token name [" + name + "]. service account token name must have at least 1 character"
                + " and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_)."
                + " It must not begin with an underscore (_).";
    }

    public static String accountDoesNotExist(String principal) {
        return "service account [" + principal + "] does not exist";
    }

    // --- Authentication (rest-api §2.5, §10)
    public static String failedToAuthenticateServiceAccount(String principal, String tokenName) {
        return "failed to authenticate service account [" + principal + "] with token name [" + tokenName + "]";
    }

    public static final String ERROR_ATTEMPTING_TO_AUTHENTICATE = "error attempting to authenticate request";

    public static final String UNABLE_TO_AUTHENTICATE =
            "unable to authenticate with provided credentials and anonymous access is not allowed for this request";

    public static String missingCredentials(String uri) {
        return "missing authentication credentials for REST request [" + uri + "]";
    }

    // --- Duplicate create (rest-api §5)
    public static String documentAlreadyExists(String documentId) {
        return "[" + documentId + "]: version conflict, document already exists (current version [1])";
    }

    // --- Delete (rest-api §1.3)
    public static String clearCacheFailed(String qualifiedName) {
        return "clearing the cache for service token [" + qualifiedName + "] failed. please clear the cache manually";
    }

    // --- CLI / file store (rest-api §8)
    public static String unknownPrincipal(String principal, Iterable<String> known) {
        return "Unknown service account principal: [" + principal + "]. Must be one of [" + String.join(", ", known) + "]";
    }

    public static String tokenAlreadyExists(String qualifiedName) {
        return "Service token [" + qualifiedName + "] already exists";
    }
}
