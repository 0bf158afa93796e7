package io.svctoken.core.hash;

import java.util.Collection;
import java.util.Locale;

/**
 * Every exception message produced by this package, in one place.
 *
 * <p>Messages marked "Elasticsearch" are reproduced byte-for-byte from Elasticsearch's
 * {@code Hasher} because clients and
 * tests may match on them. The others are svctoken's own wording for cases where Elasticsearch
 * fails with a generic JDK exception (string index, Base64 or number parsing).
 *
 * <p>No message ever contains a password, and none contains the stored hash either.
 */
public final class HashMessages {

    private HashMessages() {
    }

    /** Elasticsearch: prefix of {@link #unknownHashFunction(String)}. */
    public static final String UNKNOWN_HASH_FUNCTION_PREFIX = "unknown hash function [";

    /** Elasticsearch: a {@code {PBKDF2}}/{@code {PBKDF2_STRETCH}} hash without a parsable iteration count. */
    public static final String PBKDF2_ITERATIONS_UNDETERMINED =
            "The number of iterations could not be determined from the provided PBKDF2 hash.";

    /** Elasticsearch (an {@code ElasticsearchException} there, an {@link IllegalArgumentException} here). */
    public static final String PBKDF2_SALT_TOO_SHORT = "PBKDF2 salt must be at least [8 bytes] long";

    /** Elasticsearch (an {@code ElasticsearchException} there, an {@link IllegalArgumentException} here). */
    public static final String PBKDF2_KEY_LENGTH_INVALID = "PBKDF2 key length must be positive and multiple of [128 bits]";

    /** svctoken: the salt between the two {@code $} of a PBKDF2 hash is not standard Base64. */
    public static final String PBKDF2_SALT_NOT_BASE64 = "PBKDF2 salt is not valid Base64";

    /**
     * svctoken: defensive upper bound on the derived-key length read from a stored hash (Elasticsearch has
     * none). 8192 bits = 1024 bytes, far above any real PBKDF2 hash (256..512 bits).
     */
    public static final String PBKDF2_KEY_TOO_LONG = "PBKDF2 key length must be at most [8192 bits]";

    /** svctoken: a {@code $2a$}/{@code $2b$}/{@code $2y$} value whose cost field is not a number (Elasticsearch: NumberFormatException). */
    public static final String BCRYPT_COST_UNDETERMINED = "The cost could not be determined from the provided bcrypt hash.";

    /** svctoken: a 60-char bcrypt value whose fixed layout ({@code $2?$NN$<22 salt chars><31 hash chars>}) is broken. */
    public static final String BCRYPT_MALFORMED = "Invalid bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost, '$' and 53 bcrypt Base64 characters";

    /** svctoken: bcrypt cost outside what the primitive supports (Elasticsearch's jBCrypt fork: 4..30). */
    public static final String BCRYPT_COST_OUT_OF_RANGE = "bcrypt cost must be between [4] and [30]";

    /** svctoken: {@code hashWithSalt} of bcrypt was given a salt that is not 16 bytes. */
    public static final String BCRYPT_SALT_LENGTH = "bcrypt salt must be exactly [16 bytes] long";

    /** svctoken: {@code hashWithSalt} of SSHA256 was given a salt that is not 8 bytes. */
    public static final String SSHA256_SALT_LENGTH = "SSHA256 salt must be exactly [8 bytes] long";

    /** svctoken: {@code {SSHA256}} followed by fewer than the 12 salt characters. */
    public static final String SSHA256_TOO_SHORT = "SSHA256 hash is too short to contain its 12-character salt";

    /** svctoken: the 12 salt characters of a {@code {SSHA256}} hash are not standard Base64. */
    public static final String SSHA256_SALT_NOT_BASE64 = "SSHA256 salt is not valid Base64";

    /** svctoken: {@code null} was passed where a stored hash was expected. */
    public static final String HASH_NULL = "hash must not be null";

    /** Elasticsearch setting validation; helper for whoever validates the hashing settings. */
    public static final String PBKDF2_SUPPORT_REQUIRED_FORMAT =
            "Support for PBKDF2WithHMACSHA512 must be available in order to use any of the PBKDF2 algorithms for the [%s] setting.";

    /** Elasticsearch: {@code unknown hash function [<name>]}. */
    public static String unknownHashFunction(String name) {
        return UNKNOWN_HASH_FUNCTION_PREFIX + name + "]";
    }

    /**
     * Elasticsearch setting validation: {@code Invalid algorithm: <v>. Valid values for password hashing are [a, b, ...]}.
     */
    public static String invalidAlgorithm(String value, Collection<String> validValues) {
        return "Invalid algorithm: " + value + ". Valid values for password hashing are " + validValues;
    }

    /** Elasticsearch setting validation when PBKDF2WithHmacSHA512 is missing. */
    public static String pbkdf2SupportRequired(String settingKey) {
        return String.format(Locale.ROOT, PBKDF2_SUPPORT_REQUIRED_FORMAT, settingKey);
    }
}
