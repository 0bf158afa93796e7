package io.svctoken.server.gateway;

import io.svctoken.core.EsMessages;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.authz.index.Caller;
import io.svctoken.core.authz.index.IndexAuthorization;
import io.svctoken.core.authz.index.IndexCatalog;
import io.svctoken.core.authz.index.Need;
import io.svctoken.core.authz.index.RestRequests;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.server.gateway.bulk.MultiSearchStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides forwarded requests as Elasticsearch security would: the request is mapped to its actions and index
 * names ({@link RestRequests}), cluster actions go through the {@link Authorizer}, index actions through
 * {@link IndexAuthorization} against the upstream's names ({@link IndexCatalog}); a request outside the table is
 * left to {@code unlisted} (fail closed: the {@code all} cluster privilege).
 *
 * <p>Where Elasticsearch would narrow a wildcard to the caller's names, this policy cannot rewrite the forwarded
 * path (the verdict has no rewritten form), so it refuses with the 403 Elasticsearch would give for the names
 * the wildcard reaches that the caller may not see; {@link #decideIndices} gives the rewritten list for a caller
 * that can forward it.
 */
public final class TablePolicy implements ForwardPolicy {

    /** Actions only the {@code all} cluster privilege (or privileges adding up to it) grants every one of. */
    private static final List<String> ALL_WITNESSES = List.of("cluster:svctoken/gateway/unlisted",
            "cluster:admin/xpack/security/svctoken/gateway/unlisted", "indices:admin/template/svctoken/gateway/unlisted",
            "indices:admin/index_template/svctoken/gateway/unlisted");

    private final Authorizer authorizer;
    private final RoleResolver roles;
    private final Supplier<IndexCatalog> catalog;
    private final ForwardPolicy unlisted;

    /**
     * @param catalog  the upstream's current names (the proxy refreshes it)
     * @param unlisted decides requests outside the table; null: {@link #requireAllClusterPrivilege}
     */
    public TablePolicy(Authorizer authorizer, RoleResolver roles, Supplier<IndexCatalog> catalog, ForwardPolicy unlisted) {
        this.authorizer = authorizer;
        this.roles = roles;
        this.catalog = catalog;
        this.unlisted = unlisted != null ? unlisted : this::requireAllClusterPrivilege;
    }

    @Override
    public Verdict decide(Authentication who, String method, String rawPath, Map<String, String> query) {
        return decide(who, method, rawPath, query, RestRequests.classify(method, rawPath, query));
    }

    /** As {@link #decide(Authentication, String, String, Map)}, with the request's {@code need} already classified. */
    private Verdict decide(Authentication who, String method, String rawPath, Map<String, String> query, Need need) {
        if (need instanceof Need.Unknown) {
            return unlisted.decide(who, method, rawPath, query);
        }
        return decide(need, who, Caller.of(who, roles), catalog.get(), null);
    }

    /**
     * Decides a need the caller built from more than the request head (a body-derived one such as
     * {@link RestRequests#aliasesBody} or {@link RestRequests#reindexBody}).
     */
    public Verdict decide(Authentication who, Need need) {
        return need instanceof Need.Unknown ? new Verdict.Deny(403, IndexAuthorization.SECURITY_EXCEPTION, "unknown request")
                : decide(need, who, Caller.of(who, roles), catalog.get(), null);
    }

    /** A verdict with the raw path to forward (the request's own, or one naming the narrowed index list). */
    public record Forward(Verdict verdict, String rawPath) {
    }

    /**
     * As {@link #decide(Authentication, String, String, Map)}, for a proxy that can forward another path: where
     * Elasticsearch narrows the request's names to those the caller may see (a wildcard or {@code _all} reaching
     * other names, {@code ignore_unavailable} dropping some, {@code *,-*} when none is left), the request is
     * allowed with a path naming the narrowed list instead of refused. Requests whose names are not in one path
     * segment keep {@code decide}'s answer.
     */
    public Forward decideRewriting(Authentication who, String method, String rawPath, Map<String, String> query) {
        return decideRewriting(who, method, rawPath, query, RestRequests.classify(method, rawPath, query));
    }

    /**
     * As {@link #decideRewriting(Authentication, String, String, Map)}, with the request's {@code need} as
     * {@link RestRequests#classify} gave it (the gateway classifies each request once).
     */
    public Forward decideRewriting(Authentication who, String method, String rawPath, Map<String, String> query, Need need) {
        Verdict strict = decide(who, method, rawPath, query, need);
        if (!(strict instanceof Verdict.Deny) || need instanceof Need.Unknown) {
            return new Forward(strict, rawPath);
        }
        List<List<String>> rewrites = new ArrayList<>();
        Verdict v = decide(need, who, Caller.of(who, roles), catalog.get(), rewrites);
        if (!(v instanceof Verdict.Allow) || rewrites.isEmpty()) {
            return new Forward(strict, rawPath);
        }
        List<String> narrowed = new ArrayList<>(rewrites.get(0));
        for (List<String> other : rewrites) {
            narrowed.retainAll(other);
        }
        if (narrowed.isEmpty() || narrowed.contains("-*")) {
            narrowed = List.of("*", "-*");
        }
        String path = PathRewrite.withIndices(rawPath, narrowed);
        return path == null || !sameExpressions(need) ? new Forward(strict, rawPath) : new Forward(v, path);
    }

    /** Whether every index part of the need names the same expressions (one list in the path). */
    private static boolean sameExpressions(Need need) {
        if (need instanceof Need.Index) {
            return true;
        }
        if (!(need instanceof Need.AllOf all)) {
            return false;
        }
        List<List<String>> lists = all.needs().stream().filter(Need.Index.class::isInstance)
                .map(n -> ((Need.Index) n).expressions()).distinct().toList();
        return lists.size() == 1;
    }

    /**
     * The index decision of a request with its rewritten name list, for a proxy able to forward it; null when
     * the request is not a single index action.
     */
    public IndexAuthorization.Decision decideIndices(Authentication who, String method, String rawPath, Map<String, String> query) {
        Need need = RestRequests.classify(method, rawPath, query);
        return need instanceof Need.Index i ? IndexAuthorization.decide(i, Caller.of(who, roles), catalog.get()) : null;
    }

    /**
     * The concrete names (no wildcard, {@code _all}, exclusion or date math) a request's decision reads from the
     * catalog: the gateway refreshes the catalog first when it lacks one of them.
     */
    public static List<String> concreteNames(String method, String rawPath, Map<String, String> query) {
        List<String> out = new ArrayList<>();
        concreteNames(RestRequests.classify(method, rawPath, query), out);
        return out;
    }

    /** As {@link #concreteNames(String, String, Map)}, for a need built from a request's body. */
    public static List<String> concreteNames(Need need) {
        List<String> out = new ArrayList<>();
        concreteNames(need, out);
        return out;
    }

    private static void concreteNames(Need need, List<String> out) {
        if (need instanceof Need.Index i) {
            for (String e : i.expressions()) {
                if (!e.isEmpty() && !e.contains("*") && !e.equals("_all") && !e.startsWith("-") && !e.startsWith("<")) {
                    out.add(e);
                }
            }
        } else if (need instanceof Need.DocWrite w && w.index() != null) {
            out.add(w.index());
        } else if (need instanceof Need.AllOf all) {
            all.needs().forEach(n -> concreteNames(n, out));
        }
    }

    /** The per-item check of {@code _bulk} for this caller: {@code (op, index) -> null or the 403 reason}. */
    public BiFunction<String, String, String> bulkItems(Authentication who) {
        Caller caller = Caller.of(who, roles);
        IndexCatalog names = catalog.get();
        return (op, index) -> IndexAuthorization.item(op, index, caller, names);
    }

    /** @param rewrites null: a narrowed name list is refused; else each narrowed list is added to it and allowed */
    /**
     * The per-document check of {@code _mget} for this caller: {@code index -> null or the 403 reason} of
     * {@code indices:data/read/mget[shard]} on the document's index as written.
     */
    public Function<String, String> mgetItems(Authentication who) {
        Caller caller = Caller.of(who, roles);
        IndexCatalog names = catalog.get();
        return index -> {
            Need.Index one = new Need.Index(MGET_SHARD, List.of(index), Need.Options.DEFAULT, true, false);
            IndexAuthorization.Decision d = IndexAuthorization.decide(one, caller, names);
            return d instanceof IndexAuthorization.Deny deny ? deny.reason() : null;
        };
    }

    /**
     * The check of one {@code _msearch} search for this caller, from its header's {@code index} (or the path's) and
     * index options: Elasticsearch's decision of {@code indices:data/read/search} with the narrowed names.
     */
    public BiFunction<List<String>, Map<String, String>, IndexAuthorization.Decision> msearchItems(Authentication who) {
        Caller caller = Caller.of(who, roles);
        IndexCatalog names = catalog.get();
        return (indices, options) -> IndexAuthorization.decide(new Need.Index(RestRequests.SEARCH, indices,
                Need.Options.from(options, Need.Options.DEFAULT), false, true), caller, names);
    }

    /**
     * The check of one {@code _msearch} search for {@link io.svctoken.server.gateway.bulk.MultiSearchStream}, as
     * Elasticsearch decides a {@code _search}: {@code (targets, header index options) -> decision}; where Elasticsearch
     * narrows the names to the caller's (a wildcard or {@code _all} reaching others, {@code ignore_unavailable} dropping
     * some), the search is allowed on the narrowed list ({@code *,-*} when none is left: an empty answer).
     */
    public BiFunction<String, Map<String, String>, MultiSearchStream.Decision> msearchSearches(Authentication who) {
        Caller caller = Caller.of(who, roles);
        IndexCatalog names = catalog.get();
        BiFunction<List<String>, Map<String, String>, IndexAuthorization.Decision> decide = msearchItems(who);
        return (targets, options) -> {
            List<String> indices = targets == null || targets.isEmpty() ? List.of() : List.of(targets.split(","));
            List<List<String>> rewrites = new ArrayList<>();
            Verdict v = verdict(decide.apply(indices, options), RestRequests.SEARCH, caller, names, rewrites);
            if (v instanceof Verdict.Deny d) {
                return new MultiSearchStream.Decision(d.reason(), null);
            }
            if (rewrites.isEmpty()) {
                return MultiSearchStream.Decision.ALLOWED;
            }
            List<String> narrowed = rewrites.get(0);
            return new MultiSearchStream.Decision(null, narrowed.isEmpty() || narrowed.contains("-*") ? List.of("*", "-*") : narrowed);
        };
    }

    private static final String MGET_SHARD = "indices:data/read/mget[shard]";

    private Verdict decide(Need need, Authentication who, Caller caller, IndexCatalog names, List<List<String>> rewrites) {
        if (need instanceof Need.Cluster c) {
            return cluster(who, c.action());
        }
        if (need instanceof Need.AllOf all) {
            for (Need n : all.needs()) {
                Verdict v = decide(n, who, caller, names, rewrites);
                if (!(v instanceof Verdict.Allow)) {
                    return v;
                }
            }
            return new Verdict.Allow();
        }
        if (need instanceof Need.Granted) {
            return new Verdict.Allow();
        }
        String action = indexAction(need);
        Verdict runAs = runAs(who, action);
        if (runAs != null) {
            return runAs;
        }
        if (need instanceof Need.Index i) {
            return verdict(IndexAuthorization.decide(i, caller, names), i.action(), caller, names, rewrites);
        }
        String denied = IndexAuthorization.nameOnly(action, caller);
        if (denied != null) {
            return forbidden(denied);
        }
        if (need instanceof Need.DocWrite w) {
            String item = IndexAuthorization.item(w.op(), w.index(), caller, names);
            return item == null ? new Verdict.Allow() : forbidden(item);
        }
        if (need instanceof Need.Bulk b) {
            return new Verdict.AllowBulk(b.defaultIndex());
        }
        return new Verdict.Allow(); // name-only, mget, msearch: their items are the answer shaper's
    }

    private static String indexAction(Need need) {
        if (need instanceof Need.Index i) {
            return i.action();
        }
        if (need instanceof Need.NameOnly n) {
            return n.action();
        }
        if (need instanceof Need.DocWrite w) {
            return w.action();
        }
        if (need instanceof Need.Bulk) {
            return RestRequests.BULK;
        }
        return need instanceof Need.Mget ? RestRequests.MGET : RestRequests.MSEARCH;
    }

    private static Verdict verdict(IndexAuthorization.Decision d, String action, Caller caller, IndexCatalog catalog,
                                   List<List<String>> rewrites) {
        if (d instanceof IndexAuthorization.Deny deny) {
            return new Verdict.Deny(deny.status(), deny.type(), deny.reason());
        }
        IndexAuthorization.Allow allow = (IndexAuthorization.Allow) d;
        if (!allow.rewritten()) {
            return new Verdict.Allow();
        }
        if (rewrites != null) {
            rewrites.add(allow.indices());
            return new Verdict.Allow();
        }
        List<String> names = new ArrayList<>();
        List<String> restricted = new ArrayList<>();
        for (String n : allow.unauthorized()) {
            (IndexAuthorization.isRestricted(n, catalog) ? restricted : names).add(n);
        }
        return forbidden(IndexAuthorization.denial(action, caller, names, restricted));
    }

    private Verdict cluster(Authentication who, String action) {
        try {
            authorizer.authorize(who, action);
            return new Verdict.Allow();
        } catch (AuthorizationDeniedException e) {
            return forbidden(e.getMessage());
        }
    }

    private Verdict runAs(Authentication who, String action) {
        try {
            authorizer.authorizeRunAs(who, action);
            return null;
        } catch (AuthorizationDeniedException e) {
            return forbidden(e.getMessage());
        }
    }

    /** The fail-closed default for requests outside the table: every action of the {@code all} cluster privilege. */
    public Verdict requireAllClusterPrivilege(Authentication who, String method, String rawPath, Map<String, String> query) {
        for (String witness : ALL_WITNESSES) {
            try {
                authorizer.authorize(who, witness);
            } catch (AuthorizationDeniedException e) {
                String path = rawPath.indexOf('?') >= 0 ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
                return forbidden(EsMessages.actionUnauthorized(method + " " + path, Caller.of(who, roles).subject())
                        + EsMessages.grantedByClusterPrivileges(List.of("all")));
            }
        }
        return new Verdict.Allow();
    }

    private static Verdict forbidden(String reason) {
        return new Verdict.Deny(403, IndexAuthorization.SECURITY_EXCEPTION, reason);
    }
}
