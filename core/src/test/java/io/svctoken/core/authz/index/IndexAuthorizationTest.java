package io.svctoken.core.authz.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.ClusterPrivileges;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.authz.index.IndexAuthorization.Allow;
import io.svctoken.core.authz.index.IndexAuthorization.Decision;
import io.svctoken.core.authz.index.IndexAuthorization.Deny;
import io.svctoken.core.authz.index.IndexCatalog.Entry;
import io.svctoken.core.authz.index.IndexCatalog.Kind;
import io.svctoken.core.store.TokenSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IndexAuthorizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RoleDescriptor role(String name, String json) {
        try {
            return new RoleDescriptor(name, (ObjectNode) JSON.readTree(json.replace('\'', '"')));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Caller user(String username, RoleDescriptor... roles) {
        Map<String, RoleDescriptor> byName = new java.util.HashMap<>();
        for (RoleDescriptor r : roles) {
            byName.put(r.name(), r);
        }
        RoleResolver resolver = new RoleResolver(List.of(n -> Optional.ofNullable(byName.get(n))));
        User u = new User(username, byName.keySet().stream().sorted().toList(), null, null, null, true);
        return Caller.of(UserAuthentication.of(u, new RealmRef("file", "file")), resolver);
    }

    static final RoleDescriptor LOGS_READER = role("logs_reader", "{'indices':[{'names':['logs-*'],'privileges':['read']}]}");
    static final IndexCatalog CATALOG = new InMemoryIndexCatalog(List.of(
            Entry.index("logs-1"), Entry.index("logs-2"), Entry.index("secret"), Entry.index("app-1"), Entry.index("other"),
            new Entry(".security-7", Kind.INDEX, true, false, true, List.of(), null),
            new Entry(".kibana_8.19.0_001", Kind.INDEX, true, false, true, List.of(), null),
            new Entry("logs-closed", Kind.INDEX, false, true, false, List.of(), null),
            new Entry("logs-hidden", Kind.INDEX, true, false, false, List.of(), null),
            new Entry("metrics-ds", Kind.DATA_STREAM, false, false, false, List.of(".ds-metrics-ds-000001"), null),
            new Entry(".ds-metrics-ds-000001", Kind.INDEX, true, false, false, List.of(), "metrics-ds"),
            new Entry("all-logs", Kind.ALIAS, false, false, false, List.of("logs-1", "secret"), null)));

    static Need.Index search(String... names) {
        return new Need.Index(RestRequests.SEARCH, List.of(names), Need.Options.DEFAULT, false, true);
    }

    @Test
    void concreteForbiddenNameIsListed() {
        Decision d = IndexAuthorization.decide(search("secret"), user("bob", LOGS_READER), CATALOG);
        assertThat(d).isEqualTo(new Deny(403, "security_exception", "action [indices:data/read/search] is unauthorized for user [bob]"
                + " with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]"));
        // with a wildcard too: only the uncovered names are listed, whether or not they exist
        Decision d2 = IndexAuthorization.decide(search("logs-*", "secret", "nothere"), user("bob", LOGS_READER), CATALOG);
        assertThat(((Deny) d2).reason()).contains("on indices [nothere,secret], this action"); // HashSet order, as Elasticsearch
    }

    @Test
    void wildcardsMatchOnlyAuthorizedVisibleNames() {
        assertThat(IndexAuthorization.decide(search("logs-*"), user("bob", LOGS_READER), CATALOG))
                .isEqualTo(new Allow(List.of("logs-1", "logs-2"), List.of()));
        assertThat(IndexAuthorization.decide(search("*"), user("bob", LOGS_READER), CATALOG))
                .isEqualTo(new Allow(List.of("logs-1", "logs-2"), List.of("secret", "app-1", "other", "metrics-ds", "all-logs")));
        assertThat(IndexAuthorization.decide(search(), user("bob", LOGS_READER), CATALOG))
                .isEqualTo(IndexAuthorization.decide(search("*"), user("bob", LOGS_READER), CATALOG));
        assertThat(IndexAuthorization.decide(search("_all"), user("bob", LOGS_READER), CATALOG))
                .isEqualTo(IndexAuthorization.decide(search("*"), user("bob", LOGS_READER), CATALOG));
        Need.Index withHidden = new Need.Index(RestRequests.SEARCH, List.of("logs-*"),
                Need.Options.from(Map.of("expand_wildcards", "all"), Need.Options.DEFAULT), false, true);
        assertThat(IndexAuthorization.decide(withHidden, user("bob", LOGS_READER), CATALOG))
                .isEqualTo(new Allow(List.of("logs-1", "logs-2", "logs-closed", "logs-hidden"), List.of()));
        assertThat(IndexAuthorization.decide(search("logs-*", "-logs-2"), user("bob", LOGS_READER), CATALOG))
                .isEqualTo(new Allow(List.of("logs-1"), List.of()));
    }

    @Test
    void nothingAuthorizedLeftIsTheEmptyPlaceholder() {
        RoleDescriptor appReader = role("app_reader", "{'indices':[{'names':['app-*'],'privileges':['read']}]}");
        assertThat(IndexAuthorization.decide(search("logs-*"), user("ann", appReader), CATALOG))
                .isEqualTo(new Allow(List.of("*", "-*"), List.of("logs-1", "logs-2")));
        Need.Index strict = new Need.Index(RestRequests.SEARCH, List.of("logs-*"),
                Need.Options.from(Map.of("allow_no_indices", "false"), Need.Options.DEFAULT), false, true);
        assertThat(IndexAuthorization.decide(strict, user("ann", appReader), CATALOG))
                .isEqualTo(new Deny(404, "index_not_found_exception", "no such index [logs-*]"));
        // no group grants the action at all: 403 without names for a search
        RoleDescriptor monitorOnly = role("mon", "{'indices':[{'names':['*'],'privileges':['monitor']}]}");
        assertThat(IndexAuthorization.decide(search("logs-*"), user("max", monitorOnly), CATALOG)).isEqualTo(new Deny(403,
                "security_exception", "action [indices:data/read/search] is unauthorized for user [max] with effective roles [mon],"
                        + " this action is granted by the index privileges [read,all]"));
    }

    @Test
    void ignoreUnavailableDropsForbiddenConcreteNames() {
        Need.Index lenient = new Need.Index(RestRequests.SEARCH, List.of("logs-1", "secret"),
                Need.Options.from(Map.of("ignore_unavailable", "true"), Need.Options.DEFAULT), false, true);
        assertThat(IndexAuthorization.decide(lenient, user("bob", LOGS_READER), CATALOG)).isEqualTo(new Allow(List.of("logs-1"), List.of("secret")));
    }

    @Test
    void restrictedNamesNeedAllowRestrictedIndices() {
        RoleDescriptor star = role("star", "{'indices':[{'names':['*'],'privileges':['all']}]}");
        Decision d = IndexAuthorization.decide(search(".security-7"), user("root", star), CATALOG);
        assertThat(((Deny) d).reason()).isEqualTo("action [indices:data/read/search] is unauthorized for user [root] with effective"
                + " roles [star] on restricted indices [.security-7], this action is granted by the index privileges [read,all]");
        Decision both = IndexAuthorization.decide(search("secret", ".security-7"), user("bob", LOGS_READER), CATALOG);
        assertThat(((Deny) both).reason()).contains(" on indices [secret] and restricted indices [.security-7], this action");
        RoleDescriptor restricted = role("sec", "{'indices':[{'names':['.security*'],'privileges':['read'],'allow_restricted_indices':true}]}");
        assertThat(IndexAuthorization.decide(search(".security-7"), user("root", restricted), CATALOG)).isInstanceOf(Allow.class);
        // '.*' reaches hidden dot-names without expand_wildcards=hidden, yet '*' covers no restricted name
        assertThat(IndexAuthorization.decide(search(".*"), user("root", star), CATALOG))
                .isEqualTo(new Allow(List.of(".ds-metrics-ds-000001"), List.of(".security-7", ".kibana_8.19.0_001")));
    }

    @Test
    void backingIndicesAreCoveredThroughTheirDataStreamAndAliasesAreNotExpanded() {
        RoleDescriptor metrics = role("m", "{'indices':[{'names':['metrics-*', 'all-logs'],'privileges':['read']}]}");
        assertThat(IndexAuthorization.decide(search(".ds-metrics-ds-000001"), user("m", metrics), CATALOG)).isInstanceOf(Allow.class);
        assertThat(IndexAuthorization.decide(search("all-logs"), user("m", metrics), CATALOG)).isEqualTo(new Allow(List.of("all-logs"), List.of()));
        assertThat(((Deny) IndexAuthorization.decide(search("logs-1"), user("m", metrics), CATALOG)).reason()).contains("on indices [logs-1]");
    }

    /** Remote (cross-cluster) names and selectors are never forwarded on local coverage: the gateway checks no remote_indices. */
    @Test
    void remoteNamesAreNotCoveredByLocalGroups() {
        RoleDescriptor star = role("star", "{'indices':[{'names':['*'],'privileges':['read']}]}");
        assertThat(((Deny) IndexAuthorization.decide(search("logs-1", "other_cluster:secret"), user("s", star), CATALOG)).reason())
                .contains("on indices [other_cluster:secret]");
        assertThat(IndexAuthorization.decide(search("logs-1::failures"), user("s", star), CATALOG)).isInstanceOf(Deny.class);
        assertThat(IndexAuthorization.item("index", "other_cluster:x", user("s", role("w", "{'indices':[{'names':['*'],'privileges':['all']}]}")),
                CATALOG)).contains("[indices:data/write/bulk[s]]");
    }

    @Test
    void singleTargetRequestsRefuseWildcardsAndAll() {
        Need.Index get = new Need.Index(RestRequests.GET, List.of("logs-*"), Need.Options.DEFAULT, true, false);
        assertThat(IndexAuthorization.decide(get, user("bob", LOGS_READER), CATALOG)).isEqualTo(new Deny(400, "illegal_argument_exception",
                "the action indices:data/read/get does not support wildcards; the provided index expression(s) [logs-*] are not allowed"));
        Need.Index all = new Need.Index(RestRequests.GET, List.of("_all"), Need.Options.DEFAULT, true, false);
        assertThat(IndexAuthorization.decide(all, user("bob", LOGS_READER), CATALOG)).isEqualTo(new Deny(400, "illegal_argument_exception",
                "the action indices:data/read/get does not support accessing all indices; the provided index expression [_all] is not allowed"));
    }

    @Test
    void requestsWithoutRemoteNamesListTheirExpressionsWhenNothingGrants() {
        Need.Index mapping = new Need.Index("indices:admin/mappings/get", List.of("logs-*"), Need.Options.DEFAULT, false, false);
        RoleDescriptor writer = role("w", "{'indices':[{'names':['logs-*'],'privileges':['write']}]}");
        assertThat(((Deny) IndexAuthorization.decide(mapping, user("w", writer), CATALOG)).reason()).isEqualTo("action"
                + " [indices:admin/mappings/get] is unauthorized for user [w] with effective roles [w] on indices [logs-*], this action is"
                + " granted by the index privileges [view_index_metadata,manage,all]");
    }

    /** The spec's _bulk example: role app_writer = create_doc on app-*, indices app-1 and other. */
    @Test
    void bulkItemsAsElasticsearchDeniesThem() {
        RoleDescriptor appWriter = role("app_writer", "{'indices':[{'names':['app-*'],'privileges':['create_doc']}]}");
        Caller ingest = user("ingest", appWriter);
        assertThat(IndexAuthorization.nameOnly(RestRequests.BULK, ingest)).isNull();
        assertThat(IndexAuthorization.item("create", "app-1", ingest, CATALOG)).isNull();
        assertThat(IndexAuthorization.item("index", "app-1", ingest, CATALOG)).isEqualTo("action [indices:data/write/index:op_type/index]"
                + " is unauthorized for user [ingest] with effective roles [app_writer] on indices [app-1], this action is granted by the"
                + " index privileges [create,index,write,all]");
        assertThat(IndexAuthorization.item("create", "other", ingest, CATALOG)).isEqualTo("action [indices:data/write/bulk[s]] is"
                + " unauthorized for user [ingest] with effective roles [app_writer] on indices [other], this action is granted by the"
                + " index privileges [create_doc,create,delete,index,write,all]");
        assertThat(IndexAuthorization.item("delete", "app-1", ingest, CATALOG)).contains("action [indices:data/write/delete]",
                "[delete,write,all]");
        assertThat(IndexAuthorization.item("update", "app-1", ingest, CATALOG)).contains("action [indices:data/write/update]",
                "[index,write,all]");
        assertThat(IndexAuthorization.item("upsert", "app-1", ingest, CATALOG)).contains("action [indices:data/write/bulk[s]]");
        assertThat(IndexAuthorization.nameOnly(RestRequests.BULK, user("bob", LOGS_READER))).isEqualTo("action [indices:data/write/bulk]"
                + " is unauthorized for user [bob] with effective roles [logs_reader], this action is granted by the index privileges"
                + " [create_doc,create,delete,index,write,all]");
    }

    @Test
    void apiKeyIsLimitedByItsOwner() {
        RoleDescriptor keyRole = role("k", "{'indices':[{'names':['*'],'privileges':['read']}]}");
        ApiKeyAuthn key = new ApiKeyAuthn("key-id", "k", "bob", new RealmRef("file", "file"), JSON.createObjectNode(),
                List.of(keyRole), List.of(LOGS_READER));
        Caller c = Caller.of(key, new RoleResolver(List.of()));
        assertThat(((Allow) IndexAuthorization.decide(search("*"), c, CATALOG)).indices()).containsExactly("logs-1", "logs-2");
        assertThat(((Deny) IndexAuthorization.decide(search("secret"), c, CATALOG)).reason()).isEqualTo("action"
                + " [indices:data/read/search] is unauthorized for API key id [key-id] of user [bob] on indices [secret], this action is"
                + " granted by the index privileges [read,all]");
        ApiKeyAuthn ownerOnly = new ApiKeyAuthn("id2", "k", "bob", new RealmRef("file", "file"), JSON.createObjectNode(),
                List.of(), List.of(LOGS_READER));
        assertThat(IndexAuthorization.decide(search("logs-1"), Caller.of(ownerOnly, new RoleResolver(List.of())), CATALOG))
                .isInstanceOf(Allow.class);
    }

    @Test
    void rolesAreUnioned() {
        RoleDescriptor secretReader = role("secret_reader", "{'indices':[{'names':['secret'],'privileges':['read']}]}");
        assertThat(IndexAuthorization.decide(search("logs-1", "secret"), user("bob", LOGS_READER, secretReader), CATALOG))
                .isEqualTo(new Allow(List.of("logs-1", "secret"), List.of()));
    }

    @Test
    void kibanaServiceAccountReadsItsIndicesOnly() {
        var account = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19).find("elastic/kibana").orElseThrow();
        Caller kibana = Caller.of(new ServiceAccountAuthn(new ServiceAccountAuthentication(account, "tok", TokenSource.INDEX)),
                new RoleResolver(List.of()));
        assertThat(IndexAuthorization.decide(search(".kibana_8.19.0_001"), kibana, CATALOG)).isInstanceOf(Allow.class);
        assertThat(IndexAuthorization.item("index", ".kibana_8.19.0_001", kibana, CATALOG)).isNull();
        assertThat(IndexAuthorization.decide(search("logs-1"), kibana, CATALOG)).isEqualTo(new Deny(403, "security_exception",
                "action [indices:data/read/search] is unauthorized for service account [elastic/kibana] on indices [logs-1], this action"
                        + " is granted by the index privileges [read,all]"));
        // '*' view_index_metadata: mappings of any non-restricted index, never of .security
        Need.Index mapping = new Need.Index("indices:admin/mappings/get", List.of("logs-1"), Need.Options.DEFAULT, false, false);
        assertThat(IndexAuthorization.decide(mapping, kibana, CATALOG)).isInstanceOf(Allow.class);
        Need.Index secMapping = new Need.Index("indices:admin/mappings/get", List.of(".security-7"), Need.Options.DEFAULT, false, false);
        assertThat(((Deny) IndexAuthorization.decide(secMapping, kibana, CATALOG)).reason()).contains("on restricted indices [.security-7]");
        // the regexp group: settings updates on metrics-* except the endpoint metadata indices
        Need.Index settings = new Need.Index("indices:admin/settings/update", List.of("metrics-system-default"), Need.Options.DEFAULT, false, false);
        assertThat(IndexAuthorization.decide(settings, kibana, CATALOG)).isInstanceOf(Allow.class);
    }

    @Test
    void fleetServerWritesDataStreamsButDoesNotReadThem() {
        var account = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19).find("elastic/fleet-server").orElseThrow();
        Caller fleet = Caller.of(new ServiceAccountAuthn(new ServiceAccountAuthentication(account, "tok", TokenSource.FILE)),
                new RoleResolver(List.of()));
        assertThat(IndexAuthorization.item("create", "logs-system.syslog-default", fleet, CATALOG)).isNull();
        assertThat(IndexAuthorization.decide(search("logs-1"), fleet, CATALOG)).isInstanceOf(Deny.class);
        assertThat(IndexAuthorization.decide(search(".fleet-agents-7"), fleet, CATALOG)).isInstanceOf(Allow.class);
    }

    @Test
    void clusterPrivilegesTheGatewayNeedsExistWithElasticsearchsLists() {
        assertThat(ClusterPrivileges.grantingPrivileges("cluster:monitor/health")).containsExactly("monitor", "manage", "all");
        assertThat(ClusterPrivileges.grantingPrivileges("cluster:monitor/main")).containsExactly("monitor", "manage", "all");
        assertThat(ClusterPrivileges.grantingPrivileges("cluster:monitor/nodes/info")).containsExactly("monitor", "manage", "all");
        assertThat(ClusterPrivileges.grantingPrivileges("indices:admin/index_template/put"))
                .containsExactly("manage_index_templates", "manage", "all");
        assertThat(ClusterPrivileges.grantingPrivileges("cluster:admin/ingest/pipeline/get"))
                .containsExactly("read_pipeline", "manage_ingest_pipelines", "manage_pipeline", "manage", "all");
        assertThat(ClusterPrivileges.grantingPrivileges("cluster:admin/tasks/cancel")).containsExactly("cancel_task", "manage", "all");
    }
}
