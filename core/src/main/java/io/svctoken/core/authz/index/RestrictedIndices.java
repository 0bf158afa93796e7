package io.svctoken.core.authz.index;

import java.util.List;

/**
 * Names Elasticsearch treats as restricted (its system indices and system data streams): a role's group covers
 * them only with {@code allow_restricted_indices: true}, so {@code *} never does. Elasticsearch builds this set
 * from the system-index descriptors of its modules; the upstream's own {@code system} flag (see
 * {@link IndexCatalog.Entry#system()}) is honoured as well, and these patterns cover the descriptors of the
 * default distribution so that an upstream that does not report the flag is judged the same way.
 */
public final class RestrictedIndices {

    /** Wildcard patterns ({@link NamePattern} syntax) of the default distribution's system indices and data streams. */
    static final List<String> PATTERNS = List.of(
            ".security", ".security-*", ".security-tokens*", ".security-profile*",
            ".tasks*",
            ".async-search*",
            ".kibana_*", ".reporting-*", ".apm-agent-configuration*", ".apm-custom-link*", ".chat-*", ".workflows*",
            ".fleet-*",
            ".ml-config*", ".ml-inference-*", ".ml-meta*",
            ".transform-internal-*",
            ".watches*", ".triggered_watches*",
            ".geoip_databases*",
            ".logstash*",
            ".enrich-*",
            ".snapshot-blob-cache*",
            ".synonyms*",
            ".inference*",
            ".connector-secrets*",
            ".query-rules*",
            ".secrets-inference*"
    );

    private static final List<NamePattern> COMPILED = PATTERNS.stream().map(NamePattern::compile).toList();

    private RestrictedIndices() {
    }

    /** The wildcard patterns of the restricted names. */
    public static List<String> patterns() {
        return PATTERNS;
    }

    public static boolean isRestricted(String name) {
        for (NamePattern p : COMPILED) {
            if (p.test(name)) {
                return true;
            }
        }
        return false;
    }
}
