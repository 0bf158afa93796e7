package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.authz.index.IndexAuthorization;
import io.svctoken.core.authz.index.IndexCatalog;
import io.svctoken.core.authz.index.IndexCatalog.Entry;
import io.svctoken.core.authz.index.InMemoryIndexCatalog;
import io.svctoken.core.authz.index.RestRequests;
import io.svctoken.core.store.TokenSource;
import io.svctoken.server.gateway.ForwardPolicy.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class TablePolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, RoleDescriptor> ROLES = new HashMap<>();
    private static final RoleResolver RESOLVER = new RoleResolver(List.of(n -> Optional.ofNullable(ROLES.get(n))));

    static {
        role("logs_reader", "{'cluster':[],'indices':[{'names':['logs-*'],'privileges':['read']}]}");
        role("app_writer", "{'indices':[{'names':['app-*'],'privileges':['create_doc']}]}");
        role("superuser", "{'cluster':['all'],'indices':[{'names':['*'],'privileges':['all'],'allow_restricted_indices':true}]}");
        role("monitoring", "{'cluster':['monitor'],'indices':[{'names':['*'],'privileges':['monitor']}]}");
        role("ops", "{'cluster':['manage','manage_security'],'indices':[]}");
    }

    private static void role(String name, String json) {
        try {
            ROLES.put(name, new RoleDescriptor(name, (ObjectNode) JSON.readTree(json.replace('\'', '"'))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final IndexCatalog CATALOG = new InMemoryIndexCatalog(List.of(Entry.index("logs-1"), Entry.index("logs-2"),
            Entry.index("secret"), Entry.index("app-1"), Entry.index("other"),
            new Entry(".kibana_8.19.0_001", IndexCatalog.Kind.INDEX, true, false, true, List.of(), null),
            new Entry(".kibana", IndexCatalog.Kind.ALIAS, true, false, true, List.of(".kibana_8.19.0_001"), null)));

    private final TablePolicy policy = new TablePolicy(new Authorizer(RESOLVER), RESOLVER, () -> CATALOG, null);

    private static Authentication user(String name, String... roles) {
        return UserAuthentication.of(new User(name, List.of(roles), null, null, null, true), new RealmRef("file", "file"));
    }

    private static Authentication serviceAccount(String principal) {
        var account = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19).find(principal).orElseThrow();
        return new ServiceAccountAuthn(new ServiceAccountAuthentication(account, "token1", TokenSource.INDEX));
    }

    private Verdict decide(Authentication who, String method, String path) {
        return policy.decide(who, method, path, Map.of());
    }

    private static Verdict forbidden(String reason) {
        return new Verdict.Deny(403, "security_exception", reason);
    }

    @Test
    void searchOnAForbiddenIndexIsElasticsearchs403() {
        assertThat(decide(user("bob", "logs_reader"), "GET", "/secret/_search")).isEqualTo(forbidden("action [indices:data/read/search] is"
                + " unauthorized for user [bob] with effective roles [logs_reader] on indices [secret], this action is granted by the index"
                + " privileges [read,all]"));
        assertThat(decide(user("bob", "logs_reader"), "GET", "/logs-*,secret/_search")).isEqualTo(forbidden("action"
                + " [indices:data/read/search] is unauthorized for user [bob] with effective roles [logs_reader] on indices [secret], this"
                + " action is granted by the index privileges [read,all]"));
        assertThat(decide(user("bob", "logs_reader"), "GET", "/logs-*/_search")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("bob", "logs_reader"), "POST", "/logs-1/_count")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("bob", "logs_reader"), "GET", "/logs-1/_doc/1")).isEqualTo(new Verdict.Allow());
    }

    @Test
    void clusterActionsUseTheClusterPrivileges() {
        assertThat(decide(user("bob", "logs_reader"), "GET", "/_cluster/health")).isEqualTo(forbidden("action [cluster:monitor/health] is"
                + " unauthorized for user [bob] with effective roles [logs_reader], this action is granted by the cluster privileges"
                + " [monitor,manage,all]"));
        assertThat(decide(user("max", "monitoring"), "GET", "/_cluster/health")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("max", "monitoring"), "GET", "/_nodes/stats")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("max", "monitoring"), "GET", "/_cat/nodes")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("max", "monitoring"), "PUT", "/_index_template/t")).isEqualTo(forbidden("action"
                + " [indices:admin/index_template/put] is unauthorized for user [max] with effective roles [monitoring], this action is"
                + " granted by the cluster privileges [manage_index_templates,manage,all]"));
    }

    @Test
    void aWildcardReachingForbiddenNamesIsRefusedSinceThePathCannotBeRewritten() {
        assertThat(decide(user("bob", "logs_reader"), "GET", "/*/_search")).isEqualTo(forbidden("action [indices:data/read/search] is"
                + " unauthorized for user [bob] with effective roles [logs_reader] on indices [other,secret,app-1], this action is granted"
                + " by the index privileges [read,all]"));
        IndexAuthorization.Decision d = policy.decideIndices(user("bob", "logs_reader"), "GET", "/*/_search", Map.of());
        assertThat(((IndexAuthorization.Allow) d).indices()).containsExactly("logs-1", "logs-2");
    }

    @Test
    void aProxyThatCanRewriteForwardsTheNarrowedNames() {
        Authentication bob = user("bob", "logs_reader");
        assertThat(policy.decideRewriting(bob, "GET", "/*/_search?size=1", Map.of("size", "1")))
                .isEqualTo(new TablePolicy.Forward(new Verdict.Allow(), "/logs-1,logs-2/_search?size=1"));
        assertThat(policy.decideRewriting(bob, "POST", "/_search", Map.of()))
                .isEqualTo(new TablePolicy.Forward(new Verdict.Allow(), "/logs-1,logs-2/_search"));
        assertThat(policy.decideRewriting(bob, "GET", "/logs-*/_search", Map.of()))
                .isEqualTo(new TablePolicy.Forward(new Verdict.Allow(), "/logs-*/_search"));
        assertThat(policy.decideRewriting(bob, "GET", "/secret/_search", Map.of()).verdict()).isInstanceOf(Verdict.Deny.class);
        Authentication ann = user("ingest", "app_writer");
        assertThat(policy.decideRewriting(user("max", "monitoring"), "GET", "/_cat/indices?v", Map.of("v", "")))
                .isEqualTo(new TablePolicy.Forward(new Verdict.Allow(), "/_cat/indices/logs-1,logs-2,secret,app-1,other?v"));
        // nothing left: Elasticsearch's empty placeholder (a role that reads app-* searching other-*)
        role("app_reader", "{'indices':[{'names':['app-*'],'privileges':['read']}]}");
        assertThat(policy.decideRewriting(user("ann", "app_reader"), "GET", "/logs-*/_search", Map.of()))
                .isEqualTo(new TablePolicy.Forward(new Verdict.Allow(), "/*,-*/_search"));
        assertThat(policy.decideRewriting(ann, "POST", "/_bulk", Map.of()))
                .isEqualTo(new TablePolicy.Forward(new Verdict.AllowBulk(null), "/_bulk"));
    }

    @Test
    void catIndicesNeedsClusterAndIndexMonitor() {
        assertThat(decide(user("max", "monitoring"), "GET", "/_cat/indices/logs-*")).isEqualTo(new Verdict.Allow());
        // Elasticsearch would show only the rows max may see; without a rewritten path the request is refused instead
        assertThat(decide(user("max", "monitoring"), "GET", "/_cat/indices")).isEqualTo(forbidden("action"
                + " [indices:monitor/settings/get] is unauthorized for user [max] with effective roles [monitoring] on restricted indices"
                + " [.kibana,.kibana_8.19.0_001], this action is granted by the index privileges [monitor,view_index_metadata,manage,all]"));
        assertThat(decide(user("root", "superuser"), "GET", "/_cat/indices")).isEqualTo(new Verdict.Allow());
        assertThat(decide(user("bob", "logs_reader"), "GET", "/_cat/indices/logs-*")).isEqualTo(forbidden("action [cluster:monitor/state]"
                + " is unauthorized for user [bob] with effective roles [logs_reader], this action is granted by the cluster privileges"
                + " [cross_cluster_replication,read_ccr,transport_client,manage_ccr,monitor,manage,all]")); // the existing cluster order; unverified for this action
    }

    @Test
    void bulkIsNameOnlyThenItemByItem() {
        Authentication ingest = user("ingest", "app_writer");
        assertThat(decide(ingest, "POST", "/_bulk")).isEqualTo(new Verdict.AllowBulk(null));
        assertThat(decide(ingest, "PUT", "/app-1/_bulk")).isEqualTo(new Verdict.AllowBulk("app-1"));
        assertThat(decide(user("bob", "logs_reader"), "POST", "/_bulk")).isEqualTo(forbidden("action [indices:data/write/bulk] is"
                + " unauthorized for user [bob] with effective roles [logs_reader], this action is granted by the index privileges"
                + " [create_doc,create,delete,index,write,all]"));
        BiFunction<String, String, String> items = policy.bulkItems(ingest);
        assertThat(items.apply("create", "app-1")).isNull();
        assertThat(items.apply("index", "app-1")).isEqualTo("action [indices:data/write/index:op_type/index] is unauthorized for user"
                + " [ingest] with effective roles [app_writer] on indices [app-1], this action is granted by the index privileges"
                + " [create,index,write,all]");
        assertThat(items.apply("create", "other")).isEqualTo("action [indices:data/write/bulk[s]] is unauthorized for user [ingest]"
                + " with effective roles [app_writer] on indices [other], this action is granted by the index privileges"
                + " [create_doc,create,delete,index,write,all]");
    }

    @Test
    void mgetAndMsearchItems() {
        Authentication bob = user("bob", "logs_reader");
        assertThat(decide(bob, "POST", "/_mget")).isEqualTo(new Verdict.Allow());
        assertThat(policy.mgetItems(bob).apply("logs-1")).isNull();
        assertThat(policy.mgetItems(bob).apply("secret")).isEqualTo("action [indices:data/read/mget[shard]] is unauthorized for user"
                + " [bob] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]");
        assertThat(policy.msearchItems(bob).apply(List.of("logs-*"), Map.of()))
                .isEqualTo(new IndexAuthorization.Allow(List.of("logs-1", "logs-2"), List.of()));
        assertThat(policy.msearchItems(bob).apply(List.of("secret"), Map.of())).isInstanceOf(IndexAuthorization.Deny.class);
        assertThat(decide(user("ingest", "app_writer"), "POST", "/_msearch")).isEqualTo(forbidden("action [indices:data/read/msearch] is"
                + " unauthorized for user [ingest] with effective roles [app_writer], this action is granted by the index privileges"
                + " [read,all]"));
    }

    @Test
    void singleDocumentWritesAreOneItemBulks() {
        Authentication ingest = user("ingest", "app_writer");
        assertThat(decide(ingest, "POST", "/app-1/_doc")).isEqualTo(new Verdict.Allow());
        assertThat(decide(ingest, "PUT", "/app-1/_create/7")).isEqualTo(new Verdict.Allow());
        assertThat(decide(ingest, "PUT", "/app-1/_doc/7")).isEqualTo(forbidden("action [indices:data/write/index:op_type/index] is"
                + " unauthorized for user [ingest] with effective roles [app_writer] on indices [app-1], this action is granted by the index"
                + " privileges [create,index,write,all]"));
        assertThat(decide(ingest, "DELETE", "/app-1/_doc/7")).isEqualTo(forbidden("action [indices:data/write/delete] is unauthorized"
                + " for user [ingest] with effective roles [app_writer], this action is granted by the index privileges [delete,write,all]"));
    }

    @Test
    void unlistedRequestsNeedTheAllClusterPrivilege() {
        assertThat(decide(user("bob", "logs_reader"), "POST", "/_aliases")).isEqualTo(forbidden("action [POST /_aliases] is unauthorized"
                + " for user [bob] with effective roles [logs_reader], this action is granted by the cluster privileges [all]"));
        assertThat(decide(user("max", "monitoring"), "GET", "/_snapshot")).isInstanceOf(Verdict.Deny.class);
        assertThat(decide(user("root", "superuser"), "POST", "/_aliases")).isEqualTo(new Verdict.Allow());
        // privileges that add up to all grant it too
        assertThat(decide(user("ops", "ops"), "POST", "/_reindex?x=1")).isEqualTo(new Verdict.Allow());
    }

    @Test
    void kibanaTokenReadsKibanaIndicesAndNotOthers() {
        Authentication kibana = serviceAccount("elastic/kibana");
        assertThat(decide(kibana, "GET", "/.kibana/_search")).isEqualTo(new Verdict.Allow());
        assertThat(decide(kibana, "GET", "/.kibana_8.19.0_001/_doc/space:default")).isEqualTo(new Verdict.Allow());
        assertThat(decide(kibana, "POST", "/.kibana_8.19.0_001/_update/x")).isEqualTo(new Verdict.Allow());
        assertThat(decide(kibana, "GET", "/_nodes")).isEqualTo(new Verdict.Allow());
        assertThat(decide(kibana, "GET", "/logs-1/_search")).isEqualTo(forbidden("action [indices:data/read/search] is unauthorized for"
                + " service account [elastic/kibana] on indices [logs-1], this action is granted by the index privileges [read,all]"));
        assertThat(decide(kibana, "GET", "/logs-1/_mapping")).isEqualTo(new Verdict.Allow()); // '*' view_index_metadata
        assertThat(decide(kibana, "DELETE", "/logs-1")).isInstanceOf(Verdict.Deny.class);
    }

    @Test
    void bodyDerivedNeedsForAliasesAndReindex() {
        Authentication kibana = serviceAccount("elastic/kibana");
        assertThat(policy.decide(kibana, RestRequests.aliasesBody(List.of(".kibana_8.19.0_001"), List.of(".kibana"), List.of())))
                .isEqualTo(new Verdict.Allow());
        assertThat(policy.decide(kibana, RestRequests.aliasesBody(List.of("logs-1"), List.of("all"), List.of())))
                .isEqualTo(forbidden("action [indices:admin/aliases] is unauthorized for service account [elastic/kibana] on indices"
                        + " [logs-1], this action is granted by the index privileges [manage,all]"));
        Authentication root = user("root", "superuser");
        assertThat(policy.decide(root, RestRequests.reindexBody(List.of("logs-*"), "app-2", false))).isEqualTo(new Verdict.Allow());
        assertThat(policy.decide(user("ingest", "app_writer"), RestRequests.reindexBody(List.of("logs-*"), "app-2", true)))
                .isEqualTo(forbidden("action [indices:data/write/reindex] is unauthorized for user [ingest] with effective roles"
                        + " [app_writer], this action is granted by the index privileges [write,all]"));
    }

    @Test
    void fleetServerWritesAgentDataStreams() {
        Authentication fleet = serviceAccount("elastic/fleet-server");
        assertThat(decide(fleet, "POST", "/_bulk")).isEqualTo(new Verdict.AllowBulk(null));
        assertThat(policy.bulkItems(fleet).apply("create", "logs-system.syslog-default")).isNull();
        assertThat(decide(fleet, "GET", "/logs-1/_search")).isInstanceOf(Verdict.Deny.class);
    }

    @Test
    void apiKeysAreLimitedByTheirOwner() {
        ApiKeyAuthn key = new ApiKeyAuthn("abc", "k", "bob", new RealmRef("file", "file"), JSON.createObjectNode(),
                List.of(ROLES.get("superuser")), List.of(ROLES.get("logs_reader")));
        assertThat(decide(key, "GET", "/logs-1/_search")).isEqualTo(new Verdict.Allow());
        assertThat(decide(key, "GET", "/secret/_search")).isEqualTo(forbidden("action [indices:data/read/search] is unauthorized for"
                + " API key id [abc] of user [bob] on indices [secret], this action is granted by the index privileges [read,all]"));
        assertThat(decide(key, "GET", "/_cluster/health")).isInstanceOf(Verdict.Deny.class);
    }

    @Test
    void runAsIsCheckedFirst() {
        Authentication runAs = new UserAuthentication(new User("bob", List.of("logs_reader"), null, null, null, true),
                new RealmRef("file", "file"), new RealmRef("file", "file"), new User("eve", List.of("logs_reader"), null, null, null, true));
        assertThat(decide(runAs, "GET", "/logs-1/_search")).isInstanceOfSatisfying(Verdict.Deny.class,
                d -> assertThat(d.reason()).startsWith("action [indices:data/read/search] is unauthorized for user [eve]"));
    }
}
