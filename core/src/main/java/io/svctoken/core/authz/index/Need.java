package io.svctoken.core.authz.index;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a REST request needs authorized, decided from its method, path and query alone (see {@link RestRequests}). */
public sealed interface Need {

    /** A cluster action; index names in its path are not checked (as Elasticsearch). */
    record Cluster(String action) implements Need {
    }

    /**
     * An index action on the request's index expressions (empty: all).
     *
     * @param singleTarget  a request that names one concrete index (get or update by id): wildcards and {@code _all} are refused
     * @param allowsRemote  a request type that accepts remote names (search, field_caps, resolve): with no group granting the
     *                      action its denial has no {@code on indices} part
     */
    record Index(String action, List<String> expressions, Options options, boolean singleTarget, boolean allowsRemote) implements Need {
        public Index {
            expressions = List.copyOf(expressions);
        }
    }

    /** A name-only action: granted when any group grants it, whatever its names. */
    record NameOnly(String action) implements Need {
    }

    /**
     * A single-document write run as a one-item bulk: the name-only {@code action}, then the item's
     * {@code indices:data/write/bulk[s]} and {@code itemAction} on {@code index}.
     */
    record DocWrite(String action, String op, String index) implements Need {
    }

    /** {@code _bulk}: {@code indices:data/write/bulk} anywhere; the items are decided one by one from the body. */
    record Bulk(String defaultIndex) implements Need {
    }

    /** {@code _mget}: {@code indices:data/read/mget} anywhere; the documents' indices are in the body. */
    record Mget(String defaultIndex) implements Need {
    }

    /** {@code _msearch}: {@code indices:data/read/msearch} anywhere; the searches' indices are in the body. */
    record Msearch(String defaultIndex) implements Need {
    }

    /** An action every authenticated caller may run (scroll clear, closing a point in time: their owner is checked upstream). */
    record Granted(String action) implements Need {
    }

    /** Every one of {@code needs}, in order (the first refusal answers). */
    record AllOf(List<Need> needs) implements Need {
        public AllOf {
            needs = List.copyOf(needs);
        }
    }

    /** A request outside the table: it needs the {@code all} cluster privilege (fail closed). */
    record Unknown() implements Need {
    }

    /**
     * Elasticsearch's {@code IndicesOptions} that security resolution reads.
     *
     * @param expandOpen   {@code expand_wildcards} includes {@code open}; likewise closed and hidden
     */
    record Options(boolean ignoreUnavailable, boolean allowNoIndices, boolean expandOpen, boolean expandClosed, boolean expandHidden) {

        /** {@code SearchRequest}'s defaults and most other requests': strict, no indices allowed, open names. */
        public static final Options DEFAULT = new Options(false, true, true, false, false);

        /** The defaults overridden by the request's {@code ignore_unavailable}, {@code allow_no_indices} and {@code expand_wildcards}. */
        public static Options from(Map<String, String> query, Options defaults) {
            boolean ignore = bool(query.get("ignore_unavailable"), defaults.ignoreUnavailable());
            boolean allowNo = bool(query.get("allow_no_indices"), defaults.allowNoIndices());
            String expand = query.get("expand_wildcards");
            if (expand == null) {
                return new Options(ignore, allowNo, defaults.expandOpen(), defaults.expandClosed(), defaults.expandHidden());
            }
            boolean open = false;
            boolean closed = false;
            boolean hidden = false;
            for (String w : expand.toLowerCase(Locale.ROOT).split(",")) {
                switch (w.trim()) {
                    case "open" -> open = true;
                    case "closed" -> closed = true;
                    case "hidden" -> hidden = true;
                    case "all" -> {
                        open = true;
                        closed = true;
                        hidden = true;
                    }
                    default -> {
                        // "none" and unknown values expand nothing; the upstream answers an unknown value with its 400
                    }
                }
            }
            return new Options(ignore, allowNo, open, closed, hidden);
        }

        /** Whether wildcards expand at all ({@code expand_wildcards=none} keeps them as written). */
        public boolean expands() {
            return expandOpen || expandClosed;
        }

        private static boolean bool(String v, boolean otherwise) {
            if (v == null) {
                return otherwise;
            }
            return v.isEmpty() || v.equalsIgnoreCase("true") ? true : v.equalsIgnoreCase("false") ? false : otherwise;
        }
    }
}
