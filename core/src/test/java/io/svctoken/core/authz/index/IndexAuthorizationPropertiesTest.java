package io.svctoken.core.authz.index;

import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authz.index.IndexAuthorization.Allow;
import io.svctoken.core.authz.index.IndexAuthorization.Decision;
import io.svctoken.core.authz.index.IndexCatalog.Entry;
import io.svctoken.core.authz.index.IndexCatalog.Kind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security invariants of the index decision over random catalogs, roles and requests: what is allowed as
 * written never reaches a name the caller may not see, and a rewritten list holds only names the caller may see.
 */
class IndexAuthorizationPropertiesTest {

    private static final String SEARCH = RestRequests.SEARCH;

    @Property(tries = 3000)
    void allowedAsWrittenReachesOnlyAuthorizedNames(@ForAll("catalogs") List<Entry> entries, @ForAll("patterns") List<String> granted,
                                                     @ForAll("expressions") List<String> expressions, @ForAll("options") Need.Options options) {
        IndexCatalog catalog = new InMemoryIndexCatalog(entries);
        Caller caller = caller(granted);
        Decision d = IndexAuthorization.decide(new Need.Index(SEARCH, expressions, options, false, true), caller, catalog);
        if (!(d instanceof Allow allow)) {
            return;
        }
        for (String n : allow.indices()) {
            if (!allow.indices().equals(IndexAuthorization.NO_INDICES)) {
                assertThat(IndexAuthorization.authorized(SEARCH, n, caller, catalog)).as(n).isTrue();
            }
        }
        if (!allow.rewritten()) {
            // what the upstream itself would reach with the request's own expressions
            for (Entry e : catalog.entries()) {
                if (upstreamReaches(e, expressions, options)) {
                    assertThat(IndexAuthorization.authorized(SEARCH, e.name(), caller, catalog)).as(e.name()).isTrue();
                }
            }
        }
    }

    /** The upstream's own expansion, without exclusions (a superset of what it reaches). */
    private static boolean upstreamReaches(Entry e, List<String> expressions, Need.Options o) {
        if (expressions.isEmpty() || expressions.equals(List.of("_all"))) {
            return IndexAuthorization.visible(e, "*", o);
        }
        boolean reached = false;
        boolean wildcardSeen = false;
        for (String x : expressions) {
            if (x.startsWith("-") && wildcardSeen) {
                if (NamePattern.simpleMatch(x.substring(1), e.name())) {
                    reached = false;
                }
                continue;
            }
            if (NamePattern.isWildcard(x) && o.expands()) {
                wildcardSeen = true;
                reached |= NamePattern.simpleMatch(x, e.name()) && IndexAuthorization.visible(e, x, o);
            } else {
                reached |= x.equals(e.name());
            }
        }
        return reached;
    }

    private static Caller caller(List<String> granted) {
        StringBuilder names = new StringBuilder();
        for (String g : granted) {
            names.append(names.length() == 0 ? "" : ",").append('"').append(g).append('"');
        }
        RoleDescriptor rd = IndexAuthorizationTest.role("r", "{'indices':[{'names':[" + names.toString().replace('"', '\'')
                + "],'privileges':['read']}]}");
        return new Caller("user [u] with effective roles [r]", IndexPermission.of(List.of(rd)));
    }

    private static Arbitrary<String> name() {
        return Arbitraries.strings().withChars("ab.-").ofMinLength(1).ofMaxLength(3);
    }

    @Provide
    Arbitrary<List<Entry>> catalogs() {
        Arbitrary<Entry> entry = Combinators.combine(name(), Arbitraries.of(Kind.INDEX, Kind.ALIAS), Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as((n, k, hidden, closed) -> new Entry(n, k, hidden, k == Kind.INDEX && closed, false, List.of(), null));
        return entry.list().ofMaxSize(6).uniqueElements(Entry::name);
    }

    @Provide
    Arbitrary<List<String>> patterns() {
        return Arbitraries.strings().withChars("ab.-*").ofMinLength(1).ofMaxLength(3).list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<String>> expressions() {
        Arbitrary<String> x = Arbitraries.oneOf(Arbitraries.strings().withChars("ab.-*?/\\").ofMinLength(1).ofMaxLength(3),
                Arbitraries.of("_all", "*", "-a*", ".*", "-/", "a?*"));
        return x.list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Need.Options> options() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Need.Options::new);
    }
}
