package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** User-managed service accounts (Elasticsearch 9.6) over real HTTP, on the 9.x line: writes, listing, tokens, authentication. */
class UserManagedServiceAccountsTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        // the token service on (without HTTPS it is off by default), for the OAuth2 exchange
        node = TestNode.start(home, Map.of("svctoken.compatibility.version", "9.x", "xpack.security.authc.token.enabled", "true"));
        role("sa_manager", "{\"cluster\":[\"manage_service_account\"]}");
        role("sec_reader", "{\"cluster\":[\"read_security\"]}");
        user("samanager", "sa_manager");
        user("secreader", "sec_reader");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void role(String name, String body) throws Exception {
        Response r = node.asElastic("PUT", "/_security/role/" + name, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static void user(String name, String role) throws Exception {
        Response r = node.asElastic("PUT", "/_security/user/" + name, "{\"password\":\"" + name + "-pass\",\"roles\":[\"" + role + "\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static Response as(String user, String method, String path, String body) throws Exception {
        return node.request(method, path, basic(user, user + "-pass"), body, Map.of());
    }

    private static String reason(Response r) {
        return r.json().at("/error/reason").asText();
    }

    private static String newToken(String account, String name) throws Exception {
        Response r = node.asElastic("POST", "/_security/service/" + account + "/credential/token/" + name, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/token/value").asText();
    }

    @Test
    void aPutCreatesThenReplacesWholeAndGetShowsItBesideTheBuiltInAccounts() throws Exception {
        Response created = node.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[\"b_role\",\"a_role\",\"b_role\"],"
                + "\"enabled\":false,\"description\":\"first\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"created\":true}");
        JsonNode first = node.asElastic("GET", "/_security/service/apps/svc_1").json().get("apps/svc_1");
        assertThat(first.toString()).startsWith("{\"type\":\"user_managed\",\"roles\":[\"a_role\",\"b_role\"],\"enabled\":false,"
                + "\"description\":\"first\",\"creator\":{\"username\":\"elastic\",\"realm\":\"reserved\",\"realm_type\":\"reserved\"},\"created_at\":");
        assertThat(first.has("editor")).isFalse();

        // a full replacement: enabled back to its default, the description gone
        Response replaced = node.asElastic("PUT", "/_security/service/apps/svc_1?refresh=wait_for", "{\"roles\":[\"monitor_role\"]}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body()).isEqualTo("{\"created\":false}");
        JsonNode again = node.asElastic("GET", "/_security/service/apps").json();
        assertThat(again.fieldNames()).toIterable().containsExactly("apps/svc_1");
        JsonNode account = again.get("apps/svc_1");
        assertThat(account.get("roles").toString()).isEqualTo("[\"monitor_role\"]");
        assertThat(account.get("enabled").asBoolean()).isTrue();
        assertThat(account.has("description")).isFalse();
        assertThat(account.get("created_at").asLong()).isEqualTo(first.get("created_at").asLong());
        assertThat(account.at("/editor/username").asText()).isEqualTo("elastic");
        assertThat(account.has("edited_at")).isTrue();
    }

    @Test
    void theTypeFilterDefaultsToBuiltInWithoutANamespaceAndEveryEntryCarriesItsType() throws Exception {
        node.asElastic("PUT", "/_security/service/elastic-ish/zz", "{\"roles\":[]}");
        JsonNode bare = node.asElastic("GET", "/_security/service").json();
        assertThat(bare.fieldNames()).toIterable().allMatch(p -> p.startsWith("elastic/"));
        assertThat(bare.get("elastic/fleet-server").fieldNames()).toIterable().containsExactly("type", "role_descriptor");
        assertThat(bare.at("/elastic~1fleet-server/type").asText()).isEqualTo("built_in");

        JsonNode both = node.asElastic("GET", "/_security/service?type=user_managed,built_in").json();
        assertThat(both.fieldNames()).toIterable().contains("elastic-ish/zz", "elastic/fleet-server");
        java.util.List<String> principals = new java.util.ArrayList<>();
        both.fieldNames().forEachRemaining(principals::add);
        assertThat(principals).isSorted();
        assertThat(node.asElastic("GET", "/_security/service?type=user_managed").json().fieldNames()).toIterable()
                .contains("elastic-ish/zz").noneMatch(p -> p.startsWith("elastic/"));
        assertThat(node.asElastic("GET", "/_security/service/elastic?type=user_managed").body()).isEqualTo("{}");
        assertThat(node.asElastic("GET", "/_security/service/elastic-ish/zz?type=built_in").body()).isEqualTo("{}");
        // names are never validated by GET
        assertThat(node.asElastic("GET", "/_security/service/my*team/x").body()).isEqualTo("{}");

        Response bad = node.asElastic("GET", "/_security/service?type=built_in,x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(reason(bad)).isEqualTo("invalid type value [x]; must be one of [built_in, user_managed]");
        Response empty = node.asElastic("GET", "/_security/service?type=");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(reason(empty)).isEqualTo("Validation Failed: 1: type must name at least one of [built_in, user_managed];");
    }

    @Test
    void namesAndBodiesAreValidatedWithEveryFindingAtOnce() throws Exception {
        Response reserved = node.asElastic("PUT", "/_security/service/ELASTIC/x", "{\"roles\":[]}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(reason(reserved)).isEqualTo("Validation Failed: 1: the [elastic] namespace is reserved for built-in service accounts;");

        Response chars = node.asElastic("DELETE", "/_security/service/my*team/-svc");
        assertThat(chars.status()).isEqualTo(400);
        assertThat(reason(chars)).isEqualTo("Validation Failed: 1: service account namespace [my*team] must begin with a letter or digit and"
                + " may contain only letters, digits, hyphens (-) and underscores (_);2: service account service name [-svc] must begin"
                + " with a letter or digit and may contain only letters, digits, hyphens (-) and underscores (_);");

        String longName = "n".repeat(129);
        Response tooLong = node.asElastic("PUT", "/_security/service/" + longName + "/x", "{\"roles\":[]}");
        assertThat(reason(tooLong)).startsWith("Validation Failed: 1: service account namespace may not be more than 128 characters long, but ["
                + longName + "]");

        StringBuilder roles = new StringBuilder("{\"roles\":[");
        for (int i = 0; i <= 1000; i++) {
            roles.append(i == 0 ? "" : ",").append("\"r\"");
        }
        Response many = node.asElastic("PUT", "/_security/service/apps/many", roles.append("]}").toString());
        assertThat(reason(many)).isEqualTo("Validation Failed: 1: a service account may not have more than 1000 roles, but [1001] were given;");

        Response required = node.asElastic("PUT", "/_security/service/apps/norole", "{\"enabled\":true}");
        assertThat(required.status()).isEqualTo(400);
        assertThat(required.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(reason(required)).isEqualTo("Required [roles]");
        Response unknown = node.asElastic("PUT", "/_security/service/apps/unknown", "{\"roles\":[],\"x\":1}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(reason(unknown)).contains("unknown field [x]");
        assertThat(node.asElastic("GET", "/_security/service/apps/norole").body()).isEqualTo("{}");
    }

    @Test
    void aDeleteKeepsAnAccountWithTokensUnlessForcedAndLeftoverTokensBlockARecreate() throws Exception {
        Response none = node.asElastic("DELETE", "/_security/service/apps/gone");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"found\":false}");

        assertThat(node.asElastic("PUT", "/_security/service/apps/del", "{\"roles\":[]}").status()).isEqualTo(200);
        String token = newToken("apps/del", "t1");
        Response refused = node.asElastic("DELETE", "/_security/service/apps/del");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(reason(refused)).isEqualTo("cannot delete service account [apps/del] because it has service tokens; delete the tokens"
                + " first, or set force=true to delete the account and leave its tokens in place");
        assertThat(node.request("GET", "/_security/_authenticate", bearer(token)).status()).isEqualTo(200);

        Response forced = node.asElastic("DELETE", "/_security/service/apps/del?force=true&refresh=true");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.body()).isEqualTo("{\"found\":true}");
        // the tokens stay: listed, refused, deletable
        Response gone = node.request("GET", "/_security/_authenticate", bearer(token));
        assertThat(gone.status()).isEqualTo(401);
        assertThat(reason(gone)).isEqualTo("failed to authenticate service account [apps/del] with token name [t1]");
        assertThat(node.asElastic("GET", "/_security/service/apps/del/credential").json().at("/tokens").has("t1")).isTrue();

        Response leftover = node.asElastic("PUT", "/_security/service/apps/del", "{\"roles\":[]}");
        assertThat(leftover.status()).isEqualTo(400);
        assertThat(reason(leftover)).isEqualTo("cannot create service account [apps/del] because it has leftover service tokens; delete the tokens first");
        assertThat(node.asElastic("DELETE", "/_security/service/apps/del/credential/token/t1").body()).isEqualTo("{\"found\":true}");
        assertThat(node.asElastic("PUT", "/_security/service/apps/del", "{\"roles\":[]}").body()).isEqualTo("{\"created\":true}");
    }

    @Test
    void writesNeedManageSecurityAndTokensAreRoutedByNamespace() throws Exception {
        node.asElastic("PUT", "/_security/service/apps/routed", "{\"roles\":[]}");
        Response put = as("samanager", "PUT", "/_security/service/apps/other", "{\"roles\":[]}");
        assertThat(put.status()).isEqualTo(403);
        assertThat(reason(put)).startsWith("action [cluster:admin/xpack/security/user_managed_service_account/put] is unauthorized for user [samanager]");
        assertThat(as("samanager", "DELETE", "/_security/service/apps/routed", null).status()).isEqualTo(403);
        Response token = as("samanager", "POST", "/_security/service/apps/routed/credential/token/t", null);
        assertThat(token.status()).isEqualTo(403);
        assertThat(reason(token)).startsWith("action [cluster:admin/xpack/security/user_managed_service_account/token/create] is unauthorized");
        assertThat(as("samanager", "DELETE", "/_security/service/apps/routed/credential/token/t", null).status()).isEqualTo(403);
        // ELASTIC in another case goes to the built-in accounts' action, which manage_service_account grants
        Response upper = as("samanager", "POST", "/_security/service/ELASTIC/foo/credential/token/t", null);
        assertThat(upper.status()).isEqualTo(400);
        assertThat(reason(upper)).isEqualTo("service account [ELASTIC/foo] does not exist");
        assertThat(as("samanager", "GET", "/_security/service/apps", null).status()).isEqualTo(200);
        assertThat(as("secreader", "GET", "/_security/service/apps?type=user_managed", null).json().has("apps/routed")).isTrue();

        Response missing = node.asElastic("POST", "/_security/service/apps/nobody/credential/token/t", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(reason(missing)).isEqualTo("service account [apps/nobody] does not exist");
    }

    @Test
    void aTokenAuthenticatesWhileItsAccountIsEnabledAndItsRolesApplyByNameAtOnce() throws Exception {
        node.asElastic("PUT", "/_security/service/apps/worker", "{\"roles\":[\"later_role\"],\"enabled\":false}");
        String token = newToken("apps/worker", "token-1"); // a disabled account may receive tokens
        Response disabled = node.request("GET", "/_security/_authenticate", bearer(token));
        assertThat(disabled.status()).isEqualTo(401);
        assertThat(reason(disabled)).isEqualTo("failed to authenticate service account [apps/worker] with token name [token-1]");

        node.asElastic("PUT", "/_security/service/apps/worker", "{\"roles\":[\"later_role\"]}");
        Response me = node.request("GET", "/_security/_authenticate", bearer(token));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("{\"username\":\"apps/worker\",\"roles\":[\"later_role\"],"
                + "\"full_name\":\"User-managed service account - apps/worker\",\"email\":null,"
                + "\"token\":{\"name\":\"token-1\",\"type\":\"_service_account_index\"},"
                + "\"metadata\":{\"_user_managed_service_account\":true},\"enabled\":true,"
                + "\"authentication_realm\":{\"name\":\"_service_account\",\"type\":\"_service_account\"},"
                + "\"lookup_realm\":{\"name\":\"_service_account\",\"type\":\"_service_account\"},\"authentication_type\":\"token\"}");

        // a missing role grants nothing; created later, it applies on the next request
        Response denied = node.request("GET", "/_security/role", bearer(token));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(reason(denied)).isEqualTo("action [cluster:admin/xpack/security/role/get] is unauthorized for service account [apps/worker],"
                + " this action is granted by the cluster privileges [read_security,manage_security,all]");
        role("later_role", "{\"cluster\":[\"read_security\"]}");
        assertThat(node.request("GET", "/_security/role", bearer(token)).status()).isEqualTo(200);
        node.asElastic("PUT", "/_security/service/apps/worker", "{\"roles\":[]}");
        assertThat(node.request("GET", "/_security/role", bearer(token)).status()).isEqualTo(403);

        node.asElastic("PUT", "/_security/service/apps/worker", "{\"roles\":[],\"enabled\":false}");
        assertThat(node.request("GET", "/_security/_authenticate", bearer(token)).status()).isEqualTo(401);
        // a wrong secret for the same name
        assertThat(node.request("GET", "/_security/_authenticate", bearer(token.substring(0, token.length() - 4) + "AAAA")).status())
                .isEqualTo(401);
    }

    /** An API key the account creates is owned by the account (realm _service_account) and limited by its roles. */
    @Test
    void anApiKeyOfTheAccountIsOwnedByItAndLimitedByItsRoles() throws Exception {
        role("key_maker", "{\"cluster\":[\"manage_own_api_key\",\"monitor\"]}");
        node.asElastic("PUT", "/_security/service/apps/keys", "{\"roles\":[\"key_maker\"]}");
        String token = newToken("apps/keys", "t1");
        Response created = node.request("POST", "/_security/api_key", bearer(token),
                "{\"name\":\"k1\",\"role_descriptors\":{\"r\":{\"cluster\":[\"all\"]}}}", Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String id = created.json().get("id").asText();
        String key = "ApiKey " + created.json().get("encoded").asText();

        JsonNode info = node.asElastic("GET", "/_security/api_key?id=" + id + "&with_limited_by=true").json().at("/api_keys/0");
        assertThat(info.get("username").asText()).isEqualTo("apps/keys");
        assertThat(info.get("realm").asText()).isEqualTo("_service_account");
        assertThat(info.at("/limited_by/0").fieldNames()).toIterable().containsExactly("key_maker");

        Response me = node.request("GET", "/_security/_authenticate", key);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("apps/keys");
        assertThat(me.json().at("/metadata/_user_managed_service_account").asBoolean()).isTrue();
        // the key asks for all, the account grants monitor only
        assertThat(node.request("GET", "/_security/role", key).status()).isEqualTo(403);
        Response privileges = node.request("POST", "/_security/user/_has_privileges", key,
                "{\"cluster\":[\"monitor\",\"manage_security\"]}", Map.of());
        assertThat(privileges.status()).as(privileges.body()).isEqualTo(200);
        assertThat(privileges.json().get("cluster").toString()).isEqualTo("{\"monitor\":true,\"manage_security\":false}");
    }
    /** The {@code _user_managed_service_account} grant: a key owned by the token's account, limited by its roles. */
    @Test
    void anApiKeyGrantWithTheAccountsTokenIsOwnedByTheAccountAndRunAsIsRefused() throws Exception {
        role("granted_role", "{\"cluster\":[\"monitor\"]}");
        node.asElastic("PUT", "/_security/service/apps/granted", "{\"roles\":[\"granted_role\"]}");
        String token = newToken("apps/granted", "g1");
        Response granted = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"_user_managed_service_account\","
                + "\"service_account_token\":\"" + token + "\",\"api_key\":{\"name\":\"gk\",\"role_descriptors\":{\"r\":{\"cluster\":[\"all\"]}}}}");
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        String id = granted.json().get("id").asText();
        JsonNode info = node.asElastic("GET", "/_security/api_key?id=" + id + "&with_limited_by=true").json().at("/api_keys/0");
        assertThat(info.get("username").asText()).isEqualTo("apps/granted");
        assertThat(info.get("realm").asText()).isEqualTo("_service_account");
        assertThat(info.at("/limited_by/0").fieldNames()).toIterable().containsExactly("granted_role");
        String key = "ApiKey " + granted.json().get("encoded").asText();
        Response privileges = node.request("POST", "/_security/user/_has_privileges", key,
                "{\"cluster\":[\"monitor\",\"manage_security\"]}", Map.of());
        assertThat(privileges.json().get("cluster").toString()).isEqualTo("{\"monitor\":true,\"manage_security\":false}");

        Response runAs = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"_user_managed_service_account\","
                + "\"service_account_token\":\"" + token + "\",\"run_as\":\"elastic\",\"username\":\"u\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(runAs.status()).isEqualTo(400);
        assertThat(runAs.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(reason(runAs)).isEqualTo("Validation Failed: 1: [username] is not supported for grant_type [_user_managed_service_account];"
                + "2: [run_as] is not supported for grant_type [_user_managed_service_account];");
        Response missing = node.asElastic("POST", "/_security/api_key/grant",
                "{\"grant_type\":\"_user_managed_service_account\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(reason(missing)).isEqualTo("Validation Failed: 1: [service_account_token] is required for grant_type [_user_managed_service_account];");
        Response mixed = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"password\",\"username\":\"u\","
                + "\"password\":\"p\",\"service_account_token\":\"x\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(reason(mixed)).isEqualTo("Validation Failed: 1: [service_account_token] is not supported for grant_type [password];");

        Response garbage = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"_user_managed_service_account\","
                + "\"service_account_token\":\"not-a-token\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(reason(garbage)).isEqualTo("[service_account_token] is not a valid service account token");

        String builtIn = newToken("elastic/fleet-server", "fs1");
        Response notUserManaged = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"_user_managed_service_account\","
                + "\"service_account_token\":\"" + builtIn + "\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(notUserManaged.status()).isEqualTo(400);
        assertThat(notUserManaged.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(reason(notUserManaged)).isEqualTo("[service_account_token] must belong to a user-managed service account");

        node.asElastic("PUT", "/_security/service/apps/granted", "{\"roles\":[\"granted_role\"],\"enabled\":false}");
        Response disabled = node.asElastic("POST", "/_security/api_key/grant", "{\"grant_type\":\"_user_managed_service_account\","
                + "\"service_account_token\":\"" + token + "\",\"api_key\":{\"name\":\"gk\"}}");
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(reason(disabled)).isEqualTo("Failed to authenticate api key grant");
        assertThat(disabled.json().at("/error/caused_by/reason").asText())
                .isEqualTo("failed to authenticate service account [apps/granted] with token name [g1]");
        assertThat(disabled.body()).doesNotContain(token);
    }
    /** The OAuth2 exchange: a caller holding manage_token trades the account's token for an access token, never a refresh token. */
    @Test
    void anOAuth2TokenForTheAccountIsMintedByExchangeWithoutARefreshToken() throws Exception {
        role("oauth_role", "{\"cluster\":[\"read_security\"]}");
        node.asElastic("PUT", "/_security/service/apps/oauth", "{\"roles\":[\"oauth_role\"]}");
        String token = newToken("apps/oauth", "o1");
        String exchange = "{\"grant_type\":\"_user_managed_service_account\",\"service_account_token\":\"" + token + "\"}";
        Response minted = node.asElastic("POST", "/_security/oauth2/token", exchange);
        assertThat(minted.status()).as(minted.body()).isEqualTo(200);
        assertThat(minted.json().fieldNames()).toIterable().containsExactly("access_token", "type", "expires_in", "authentication");
        assertThat(minted.json().at("/expires_in").asLong()).isEqualTo(1200);
        // the authentication the service token gave
        assertThat(minted.json().get("authentication").toString()).isEqualTo(
                node.request("GET", "/_security/_authenticate", bearer(token)).body());

        String access = bearer(minted.json().get("access_token").asText());
        Response me = node.request("GET", "/_security/_authenticate", access);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("apps/oauth");
        assertThat(me.json().get("roles").toString()).isEqualTo("[\"oauth_role\"]");
        assertThat(me.json().get("full_name").asText()).isEqualTo("User-managed service account - apps/oauth");
        assertThat(me.json().at("/metadata/_user_managed_service_account").asBoolean()).isTrue();
        assertThat(me.json().at("/authentication_realm/name").asText()).isEqualTo("_service_account");
        assertThat(me.json().get("authentication_type").asText()).isEqualTo("token");
        assertThat(node.request("GET", "/_security/role", access).status()).isEqualTo(200);
        Response denied = node.request("PUT", "/_security/role/x", access, "{}", Map.of());
        assertThat(denied.status()).isEqualTo(403);
        // the token stands for the account: refused as the account is
        assertThat(reason(denied)).startsWith("action [cluster:admin/xpack/security/role/put] is unauthorized for service account [apps/oauth],");
        // the account's own credential holds no manage_token
        assertThat(node.request("POST", "/_security/oauth2/token", bearer(token), exchange, Map.of()).status()).isEqualTo(403);

        Response missing = node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"_user_managed_service_account\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Validation Failed: 1: service_account_token is missing;\"}");
        Response mixed = node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"password\",\"username\":\"u\",\"password\":\"p\","
                + "\"service_account_token\":\"x\"}");
        assertThat(mixed.body()).isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Validation Failed: 1: "
                + "service_account_token is not supported with the password grant_type;\"}");
        Response badType = node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"nope\"}");
        assertThat(badType.body()).isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Validation Failed: 1: grant_type only"
                + " supports the values: [password, _kerberos, refresh_token, client_credentials, _user_managed_service_account];\"}");
        Response garbage = node.asElastic("POST", "/_security/oauth2/token",
                "{\"grant_type\":\"_user_managed_service_account\",\"service_account_token\":\"not-a-token\"}");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"service_account_token is not a valid service account token\"}");
        String builtIn = newToken("elastic/kibana", "k1");
        Response notUserManaged = node.asElastic("POST", "/_security/oauth2/token",
                "{\"grant_type\":\"_user_managed_service_account\",\"service_account_token\":\"" + builtIn + "\"}");
        assertThat(notUserManaged.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":"
                + "\"service_account_token must belong to a user-managed service account\"}");

        // re-authenticated on every exchange; tokens already minted stay valid
        node.asElastic("PUT", "/_security/service/apps/oauth", "{\"roles\":[\"oauth_role\"],\"enabled\":false}");
        Response disabled = node.asElastic("POST", "/_security/oauth2/token", exchange);
        assertThat(disabled.status()).isEqualTo(401);
        assertThat(reason(disabled)).isEqualTo("failed to authenticate service account [apps/oauth] with token name [o1]");
        assertThat(node.request("GET", "/_security/_authenticate", access).status()).isEqualTo(200);
    }
    /** The service-account query: user-managed accounts only, in Elasticsearch's list form, for readers of accounts. */
    @Test
    void theQueryFindsUserManagedAccountsByUsernameRolesAndEnabled() throws Exception {
        role("qry_reader", "{\"cluster\":[\"monitor\"]}");
        user("monitoronly", "qry_reader");
        node.asElastic("PUT", "/_security/service/qry/b", "{\"roles\":[\"r_b\",\"r_a\"],\"enabled\":false}");
        node.asElastic("PUT", "/_security/service/qry/a", "{\"roles\":[\"r_a\"]}");
        node.asElastic("PUT", "/_security/service/qry/c", "{\"roles\":[]}");
        Response sorted = node.asElastic("POST", "/_security/_query/service", "{\"query\":{\"bool\":{\"filter\":[{\"prefix\":"
                + "{\"username\":\"qry/\"}},{\"terms\":{\"roles\":[\"r_a\"]}}]}},\"sort\":[{\"username\":{\"order\":\"desc\"}}]}");
        assertThat(sorted.status()).as(sorted.body()).isEqualTo(200);
        JsonNode page = sorted.json();
        assertThat(page.fieldNames()).toIterable().containsExactly("total", "count", "service_accounts");
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("count").asInt()).isEqualTo(2);
        JsonNode first = page.at("/service_accounts/0");
        assertThat(first.toString()).startsWith("{\"username\":\"qry/b\",\"type\":\"user_managed\",\"roles\":[\"r_a\",\"r_b\"],"
                + "\"enabled\":false,\"creator\":");
        assertThat(first.get("_sort").toString()).isEqualTo("[\"qry/b\"]");
        assertThat(page.at("/service_accounts/1/username").asText()).isEqualTo("qry/a");

        // enabled, from and size, and no built-in account ever
        JsonNode enabled = as("secreader", "GET", "/_security/_query/service", "{\"query\":{\"bool\":{\"must\":[{\"wildcard\":"
                + "{\"username\":\"qry/*\"}},{\"term\":{\"enabled\":true}}]}},\"sort\":[\"username\"],\"from\":1,\"size\":5}").json();
        assertThat(enabled.get("total").asInt()).isEqualTo(2);
        assertThat(enabled.get("count").asInt()).isEqualTo(1);
        assertThat(enabled.at("/service_accounts/0/username").asText()).isEqualTo("qry/c");
        Response all = as("samanager", "POST", "/_security/_query/service", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.body()).doesNotContain("elastic/");

        Response field = node.asElastic("POST", "/_security/_query/service", "{\"query\":{\"term\":{\"full_name\":\"x\"}}}");
        assertThat(field.status()).isEqualTo(400);
        assertThat(reason(field)).isEqualTo("Field [full_name] is not allowed for querying or aggregation");
        Response negative = node.asElastic("POST", "/_security/_query/service", "{\"from\":-1}");
        assertThat(reason(negative)).isEqualTo("Validation Failed: 1: [from] parameter cannot be negative but was [-1];");
        Response unknown = node.asElastic("POST", "/_security/_query/service", "{\"nope\":1}");
        assertThat(reason(unknown)).isEqualTo("[1:2] [query_service_account_request_payload] unknown field [nope]");
        Response denied = as("monitoronly", "POST", "/_security/_query/service", null);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(reason(denied)).contains("action [cluster:admin/xpack/security/service_account/query] is unauthorized for user [monitoronly]");
    }
}
