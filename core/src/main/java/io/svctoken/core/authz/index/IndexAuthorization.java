package io.svctoken.core.authz.index;

import io.svctoken.core.EsMessages;
import io.svctoken.core.authz.index.IndexCatalog.Entry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Elasticsearch's index authorization for one request ({@code RBACEngine.authorizeIndexAction} with
 * {@code IndicesAndAliasesResolver}): wildcards are matched only against the names the caller is authorized for,
 * concrete names stay as written and must each be covered, and a denial carries Elasticsearch's 403 text.
 */
public final class IndexAuthorization {

    /** The outcome. */
    public sealed interface Decision {
    }

    /**
     * Allowed, on {@code indices} (the resolved list; {@code *,-*} when nothing is left).
     *
     * @param unauthorized the names the request's own expressions reach that this caller may not see (matched by a
     *                     wildcard or {@code _all}, or dropped by {@code ignore_unavailable}): unless empty, the upstream
     *                     must be sent {@code indices} instead of the request's expressions
     */
    public record Allow(List<String> indices, List<String> unauthorized) implements Decision {
        public Allow {
            indices = List.copyOf(indices);
            unauthorized = List.copyOf(unauthorized);
        }

        /** Whether Elasticsearch would have rewritten the request's names (see {@code unauthorized}). */
        public boolean rewritten() {
            return !unauthorized.isEmpty();
        }
    }

    /** Refused with Elasticsearch's error: status, {@code error.type} and {@code reason}. */
    public record Deny(int status, String type, String reason) implements Decision {
    }

    public static final String SECURITY_EXCEPTION = "security_exception";
    public static final String ILLEGAL_ARGUMENT_EXCEPTION = "illegal_argument_exception";
    static final List<String> NO_INDICES = List.of("*", "-*");

    private IndexAuthorization() {
    }

    /** A name-only action: null when any group grants it, else the 403 reason (no {@code on indices} part). */
    public static String nameOnly(String action, Caller caller) {
        return caller.indices().grantsAnywhere(action) ? null : denial(action, caller, List.of(), List.of());
    }

    /**
     * The check of one {@code _bulk} item (or single-document write) as Elasticsearch runs it: first the shard
     * request's {@code indices:data/write/bulk[s]} on the item's index as written, then the item's own action.
     *
     * @param op {@code index}, {@code create}, {@code update} or {@code delete}; any other value is refused
     * @return null when allowed, else the 403 reason
     */
    public static String item(String op, String index, Caller caller, IndexCatalog catalog) {
        String action = itemAction(op);
        if (action == null || !authorized(RestRequests.BULK_SHARD, index, caller, catalog)) {
            return denialOn(RestRequests.BULK_SHARD, index, caller, catalog);
        }
        return authorized(action, index, caller, catalog) ? null : denialOn(action, index, caller, catalog);
    }

    /** The action a bulk item implies ({@code AuthorizationService}'s implied actions); null for an unknown op. */
    public static String itemAction(String op) {
        return switch (op) {
            case "index" -> "indices:data/write/index:op_type/index";
            case "create" -> "indices:data/write/index:op_type/create";
            case "update" -> RestRequests.UPDATE;
            case "delete" -> RestRequests.DELETE;
            default -> null;
        };
    }

    /** Decides an index action on its expressions. */
    public static Decision decide(Need.Index need, Caller caller, IndexCatalog catalog) {
        String action = need.action();
        IndexPermission p = caller.indices();
        List<String> expressions = need.expressions();
        if (need.singleTarget()) {
            for (String e : expressions) {
                boolean all = e.equals("_all");
                if (all || NamePattern.isWildcard(e)) {
                    if (!p.grantsAnywhere(action)) {
                        return deny(denial(action, caller, List.of(), List.of()));
                    }
                    return new Deny(400, ILLEGAL_ARGUMENT_EXCEPTION,
                            all ? EsMessages.actionNoAllIndices(action) : EsMessages.actionNoWildcards(action, expressions));
                }
            }
        }
        if (!p.grantsAnywhere(action)) {
            // requests that accept remote names resolve first and are refused without names; the others list what was asked
            return deny(need.allowsRemote() ? denial(action, caller, List.of(), List.of()) : denialOnExpressions(action, expressions, caller));
        }
        Need.Options o = need.options();
        Set<String> result = new LinkedHashSet<>();
        Set<String> unseen = new LinkedHashSet<>(); // names the upstream's own expansion would reach that the caller may not see
        Set<String> concrete = new LinkedHashSet<>();
        boolean wildcardSeen = false;
        if (expressions.isEmpty() || (expressions.size() == 1 && expressions.get(0).equals("_all"))) {
            expand("*", action, o, caller, catalog, result, unseen);
        } else {
            for (String e : expressions) {
                if (e.startsWith("-") && wildcardSeen) {
                    String minus = e.substring(1);
                    result.removeIf(n -> NamePattern.simpleMatch(minus, n));
                    unseen.removeIf(n -> NamePattern.simpleMatch(minus, n));
                    concrete.removeIf(n -> NamePattern.simpleMatch(minus, n));
                    continue;
                }
                if (NamePattern.isWildcard(e) && o.expands()) {
                    wildcardSeen = true;
                    int before = result.size();
                    expand(e, action, o, caller, catalog, result, unseen);
                    if (result.size() == before && !o.allowNoIndices()) {
                        return new Deny(404, "index_not_found_exception", EsMessages.noSuchIndex(e));
                    }
                    continue;
                }
                if (o.ignoreUnavailable() && !authorized(action, e, caller, catalog)) {
                    unseen.add(e); // dropped silently
                    continue;
                }
                result.add(e);
                concrete.add(e);
            }
        }
        List<String> names = new ArrayList<>();
        List<String> restricted = new ArrayList<>();
        for (String c : concrete) {
            if (!authorized(action, c, caller, catalog)) {
                (isRestricted(c, catalog) ? restricted : names).add(c);
            }
        }
        if (!names.isEmpty() || !restricted.isEmpty()) {
            return deny(denial(action, caller, names, restricted));
        }
        if (result.isEmpty()) {
            if (!o.allowNoIndices()) {
                return new Deny(404, "index_not_found_exception", EsMessages.noSuchIndex("[" + String.join(",", expressions) + "]"));
            }
            return new Allow(NO_INDICES, List.copyOf(unseen));
        }
        return new Allow(List.copyOf(result), List.copyOf(unseen));
    }

    /** Adds the visible catalog names {@code pattern} matches: authorized ones to {@code result}, the others to {@code unseen}. */
    private static void expand(String pattern, String action, Need.Options o, Caller caller, IndexCatalog catalog,
                               Set<String> result, Set<String> unseen) {
        for (Entry e : catalog.entries()) {
            if (!NamePattern.simpleMatch(pattern, e.name()) || !visible(e, pattern, o)) {
                continue;
            }
            (authorized(action, e.name(), caller, catalog) ? result : unseen).add(e.name());
        }
    }

    /** Elasticsearch's wildcard visibility: closed needs {@code closed}, hidden needs {@code hidden} unless pattern and name start with a dot. */
    static boolean visible(Entry e, String pattern, Need.Options o) {
        if (e.closed() ? !o.expandClosed() : !o.expandOpen()) {
            return false;
        }
        return !e.hidden() || o.expandHidden() || (pattern.startsWith(".") && e.name().startsWith("."));
    }

    /**
     * Covered by a group, or a backing index of a covered data stream. A name with {@code :} (a remote
     * {@code cluster:index} or a {@code ::} selector) is never covered: the gateway checks no {@code remote_indices}
     * and forwards no selectors on data-selector privileges.
     */
    static boolean authorized(String action, String name, Caller caller, IndexCatalog catalog) {
        if (name.indexOf(':') >= 0) {
            return false;
        }
        IndexPermission p = caller.indices();
        if (p.covers(action, name, isRestricted(name, catalog))) {
            return true;
        }
        Optional<Entry> e = catalog.find(name);
        String ds = e.map(Entry::dataStream).orElse(null);
        return ds != null && p.covers(action, ds, isRestricted(ds, catalog));
    }

    public static boolean isRestricted(String name, IndexCatalog catalog) {
        return RestrictedIndices.isRestricted(name) || catalog.find(name).map(Entry::system).orElse(false);
    }

    private static Deny deny(String reason) {
        return new Deny(403, SECURITY_EXCEPTION, reason);
    }

    private static String denialOn(String action, String index, Caller caller, IndexCatalog catalog) {
        return isRestricted(index, catalog)
                ? denial(action, caller, List.of(), List.of(index))
                : denial(action, caller, List.of(index), List.of());
    }

    private static String denialOnExpressions(String action, List<String> expressions, Caller caller) {
        return denial(action, caller, expressions, List.of());
    }

    /**
     * {@code action [a] is unauthorized for <subject>[ on indices [..]], this action is granted by the index privileges [..]}.
     * Elasticsearch collects the denied names into a {@code HashSet}; they are listed in that set's iteration order
     * (fixed by {@code String.hashCode}), so several names come out as Elasticsearch writes them.
     */
    public static String denial(String action, Caller caller, List<String> names, List<String> restricted) {
        List<String> granting = IndexPrivileges.grantingPrivileges(action);
        return EsMessages.actionUnauthorized(action, caller.subject()) + EsMessages.onIndices(hashSetOrder(names), hashSetOrder(restricted))
                + (granting.isEmpty() ? "" : EsMessages.grantedByIndexPrivileges(granting));
    }

    private static List<String> hashSetOrder(List<String> names) {
        Set<String> set = new HashSet<>();
        for (String n : names) {
            set.add(n);
        }
        return List.copyOf(set);
    }
}
