package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Users, roles and who may do what (issue: users, roles and authorization). */
class UsersRolesAndAuthorizationTest {

    private static final String FLEET = "/_security/service/elastic/fleet-server";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        put("/_security/role/token_reader", "{\"cluster\":[\"read_security\"]}");
        put("/_security/role/token_manager", "{\"cluster\":[\"manage_service_account\"]}");
        put("/_security/role/impersonator", "{\"cluster\":[\"monitor\"],\"run_as\":[\"reader\"]}");
        put("/_security/user/reader", "{\"password\":\"reader-pass\",\"roles\":[\"token_reader\"]}");
        put("/_security/user/manager", "{\"password\":\"manager-pass\",\"roles\":[\"token_manager\",\"ghost\"],\"full_name\":\"Token Manager\"}");
        put("/_security/user/imp", "{\"password\":\"imp-pass\",\"roles\":[\"impersonator\"]}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Response put(String path, String body) throws Exception {
        Response r = node.asElastic("PUT", path, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r;
    }

    private static Response as(String user, String password, String method, String path) throws Exception {
        return node.request(method, path, basic(user, password), null, Map.of());
    }

    @Test
    void aReaderCanListButNotCreate() throws Exception {
        assertThat(as("reader", "reader-pass", "GET", "/_security/service").status()).isEqualTo(200);
        assertThat(as("reader", "reader-pass", "GET", FLEET + "/credential").status()).isEqualTo(200);
        Response r = as("reader", "reader-pass", "POST", FLEET + "/credential/token/by-reader");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/service_account/token/create]"
                + " is unauthorized for user [reader] with effective roles [token_reader], this action is granted by the cluster"
                + " privileges [manage_service_account,manage_security,all]");
    }

    @Test
    void aManagerCanCreateAndDeleteButNotClearCaches() throws Exception {
        Response created = as("manager", "manager-pass", "POST", FLEET + "/credential/token/by-manager");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(as("manager", "manager-pass", "DELETE", FLEET + "/credential/token/by-manager").status()).isEqualTo(200);
        Response clear = as("manager", "manager-pass", "POST", FLEET + "/credential/token/*/_clear_cache");
        assertThat(clear.status()).isEqualTo(403);
        assertThat(clear.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/cache/clear] is unauthorized"
                + " for user [manager] with effective roles [token_manager] (assigned roles [ghost] were not found), this action is"
                + " granted by the cluster privileges [manage_security,all]");
        // the creator recorded is the manager
        JsonNode me = as("manager", "manager-pass", "GET", "/_security/_authenticate").json();
        assertThat(me.get("full_name").asText()).isEqualTo("Token Manager");
        assertThat(me.get("authentication_realm").toString()).isEqualTo("{\"name\":\"default_native\",\"type\":\"native\"}");
    }

    @Test
    void aServiceTokenCannotDeleteUsers() throws Exception {
        String value = node.asElastic("POST", FLEET + "/credential/token/no-user-admin").json().at("/token/value").asText();
        Response r = node.request("DELETE", "/_security/user/reader", bearer(value));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/user/delete] is unauthorized"
                + " for service account [elastic/fleet-server], this action is granted by the cluster privileges [manage_security,all]");
        // a service account never runs as anyone: the header is ignored
        Response me = node.request("GET", "/_security/_authenticate", bearer(value), null, Map.of("es-security-runas-user", "reader"));
        assertThat(me.json().get("username").asText()).isEqualTo("elastic/fleet-server");
    }

    /** Elasticsearch reads a put-user body field by field: the first bad field is the answer, before validation. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"password\":123}                                  | parse_exception | expected field [password] to be of type string, but found [VALUE_NUMBER] instead",
        "{\"password_hash\":[\"x\"],\"roles\":[]}              | parse_exception | expected field [password_hash] to be of type string, but found [START_ARRAY] instead",
        "{\"roles\":null}                                    | parse_exception | could not parse [roles] field. expected a string array but found null value instead",
        "{\"roles\":{\"a\":1}}                                 | parse_exception | could not parse [roles] field. expected a string array but found [START_OBJECT] value instead",
        "{\"roles\":[\"a\",true]}                              | parse_exception | could not parse [roles] field. expected a string array but one of the value in the array is [VALUE_BOOLEAN]",
        "{\"roles\":[],\"full_name\":7}                        | parse_exception | expected field [full_name] to be of type string, but found [VALUE_NUMBER] instead",
        "{\"roles\":[],\"email\":false}                        | parse_exception | expected field [email] to be of type string, but found [VALUE_BOOLEAN] instead",
        "{\"roles\":[],\"metadata\":null}                      | parse_exception | expected field [metadata] to be of type object, but found [VALUE_NULL] instead",
        "{\"roles\":[],\"enabled\":\"true\"}                   | parse_exception | expected field [enabled] to be of type boolean, but found [VALUE_STRING] instead",
        "{\"roles\":[],\"username\":1}                         | parse_exception | expected field [username] to be of type string, but found [VALUE_NUMBER] instead",
        "{\"roles\":[],\"username\":\"other\"}                 | illegal_argument_exception | [username] in source does not match the username provided [newbie]",
        "{\"nope\":1,\"password\":1}                             | parse_exception | failed to parse add user request. unexpected field [nope]",
        "{\"password\":\"abc\"}                                | action_request_validation_exception | Validation Failed: 1: passwords must be at least [6] characters long;",
        "{\"password\":\"abcdef\",\"password_hash\":\"{PBKDF2}1000$QMb5I7mJG5p1BTFpdiRRdjfdeuXpPt2H0Wo30QKkVyY=$1f7F1ekCH/qtMcq7FxyJWyUfx0CfPLz1sEvHz/IPgBU=\"} | action_request_validation_exception | Validation Failed: 1: password_hash has already been set;",
        // the hash is checked as it is read, before "already set" (Elasticsearch's request builder)
        "{\"password\":\"abcdef\",\"password_hash\":\"x\"}       | illegal_argument_exception | " + PasswordHashValidationTest.UNSUPPORTED,
    })
    void putUserBodyIsReadFieldByFieldLikeElasticsearch(String body, String type, String reason) throws Exception {
        Response r = node.asElastic("PUT", "/_security/user/newbie", body.strip());
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
        assertThat(node.asElastic("GET", "/_security/user/newbie").status()).as("nothing was stored").isEqualTo(404);
    }

    @Test
    void changePasswordBodyTypesAreCheckedLikeElasticsearch() throws Exception {
        Response r = node.asElastic("POST", "/_security/user/elastic/_password", "{\"password\":[\"x\"]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("parse_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("expected field [password] to be of type string, but found [START_ARRAY] instead");
        Response other = node.asElastic("POST", "/_security/user/elastic/_password", "{\"passwd\":\"x\"}");
        assertThat(other.json().at("/error/reason").asText()).isEqualTo("failed to parse change password request. unexpected field [passwd]");
    }

    @Test
    void aMatchingUsernameInTheBodyAndFullNameOrEmailNullAreAccepted() throws Exception {
        Response r = node.asElastic("PUT", "/_security/user/bodyname",
                "{\"username\":\"bodyname\",\"password\":\"body-pass\",\"roles\":\"viewer,editor\",\"full_name\":null,\"email\":null}");
        assertThat(r.body()).isEqualTo("{\"created\":true}");
        assertThat(node.asElastic("GET", "/_security/user/bodyname").json().at("/bodyname/roles").toString()).isEqualTo("[\"viewer\",\"editor\"]");
        assertThat(node.asElastic("DELETE", "/_security/user/bodyname").status()).isEqualTo(200);
    }

    @Test
    void userApiShapesAndErrors() throws Exception {
        Response created = node.asElastic("PUT", "/_security/user/shape", "{\"password\":\"shape-pass\",\"roles\":[\"viewer\"],\"email\":\"s@example.com\",\"metadata\":{\"team\":\"a\"}}");
        assertThat(created.body()).isEqualTo("{\"created\":true}");
        assertThat(node.asElastic("PUT", "/_security/user/shape", "{\"roles\":[\"viewer\",\"editor\"]}").body()).isEqualTo("{\"created\":false}");
        assertThat(as("shape", "shape-pass", "GET", "/_security/_authenticate").status()).isEqualTo(200); // password kept
        Response get = node.asElastic("GET", "/_security/user/shape");
        assertThat(get.body()).isEqualTo("{\"shape\":{\"username\":\"shape\",\"roles\":[\"viewer\",\"editor\"],\"full_name\":null,"
                + "\"email\":null,\"metadata\":{},\"enabled\":true}}");
        assertThat(node.asElastic("GET", "/_security/user").json().has("elastic")).isTrue();
        Response missing = node.asElastic("GET", "/_security/user/nobody");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{}");

        Response reserved = node.asElastic("PUT", "/_security/user/elastic", "{\"roles\":[\"superuser\"]}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: user [elastic] is reserved and only the password can be changed;");
        Response delReserved = node.asElastic("DELETE", "/_security/user/kibana_system");
        assertThat(delReserved.json().at("/error/reason").asText()).isEqualTo("user [kibana_system] is reserved and cannot be deleted");
        Response noPassword = node.asElastic("PUT", "/_security/user/newbie", "{\"roles\":[]}");
        assertThat(noPassword.json().at("/error/reason").asText())
                .isEqualTo("Validation Failed: 1: password must be specified unless you are updating an existing user;");
        Response shortPw = node.asElastic("PUT", "/_security/user/newbie", "{\"password\":\"abc\",\"roles\":[]}");
        assertThat(shortPw.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: passwords must be at least [6] characters long;");
        Response noRoles = node.asElastic("PUT", "/_security/user/newbie", "{\"password\":\"abcdef\",\"metadata\":{\"_x\":1}}");
        assertThat(noRoles.json().at("/error/reason").asText())
                .isEqualTo("Validation Failed: 1: roles are missing;2: metadata keys may not start with [_];");
        Response unknown = node.asElastic("PUT", "/_security/user/newbie", "{\"password\":\"abcdef\",\"roles\":[],\"nope\":1}");
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("parse_exception");
        assertThat(unknown.json().at("/error/reason").asText()).isEqualTo("failed to parse add user request. unexpected field [nope]");
        Response badJson = node.asElastic("PUT", "/_security/user/newbie", "{not json");
        assertThat(badJson.status()).isEqualTo(400);

        assertThat(node.asElastic("DELETE", "/_security/user/shape").body()).isEqualTo("{\"found\":true}");
        Response again = node.asElastic("DELETE", "/_security/user/shape");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"found\":false}");
        assertThat(as("shape", "shape-pass", "GET", "/_security/_authenticate").status()).isEqualTo(401);
    }

    @Test
    void passwordChangesAndDisablingTakeEffectAtOnce() throws Exception {
        put("/_security/user/changer", "{\"password\":\"first-pass\",\"roles\":[]}");
        assertThat(as("changer", "first-pass", "GET", "/_security/_authenticate").status()).isEqualTo(200); // now cached
        assertThat(node.asElastic("POST", "/_security/user/changer/_password", "{\"password\":\"second-pass\"}").body()).isEqualTo("{}");
        assertThat(as("changer", "first-pass", "GET", "/_security/_authenticate").status()).isEqualTo(401);
        assertThat(as("changer", "second-pass", "GET", "/_security/_authenticate").status()).isEqualTo(200);
        // a user changes their own password without any privilege
        Response own = node.request("POST", "/_security/user/_password", basic("changer", "second-pass"), "{\"password\":\"third-pass\"}", Map.of());
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(as("changer", "third-pass", "GET", "/_security/_authenticate").status()).isEqualTo(200);

        assertThat(node.asElastic("PUT", "/_security/user/changer/_disable", null).body()).isEqualTo("{}");
        assertThat(as("changer", "third-pass", "GET", "/_security/_authenticate").status()).isEqualTo(401);
        assertThat(node.asElastic("GET", "/_security/user/changer").json().at("/changer/enabled").asBoolean()).isFalse();
        node.asElastic("PUT", "/_security/user/changer/_enable", null);
        assertThat(as("changer", "third-pass", "GET", "/_security/_authenticate").status()).isEqualTo(200);

        // the elastic password can be changed through the API too
        assertThat(node.asElastic("POST", "/_security/user/elastic/_password", "{\"password\":\"" + TestNode.PASSWORD + "-2\"}").status()).isEqualTo(200);
        assertThat(as("elastic", TestNode.PASSWORD + "-2", "GET", "/").status()).isEqualTo(200);
        assertThat(as("elastic", TestNode.PASSWORD, "GET", "/").status()).isEqualTo(401);
        node.request("POST", "/_security/user/elastic/_password", basic("elastic", TestNode.PASSWORD + "-2"), "{\"password\":\"" + TestNode.PASSWORD + "\"}", Map.of());
        assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
    }

    @Test
    void runAs() throws Exception {
        Response ok = node.request("GET", "/_security/_authenticate", basic("imp", "imp-pass"), null, Map.of("es-security-runas-user", "reader"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("username").asText()).isEqualTo("reader");
        assertThat(ok.json().get("authentication_realm").get("name").asText()).isEqualTo("default_native");
        Response asReader = node.request("GET", "/_security/service", basic("imp", "imp-pass"), null, Map.of("es-security-runas-user", "reader"));
        assertThat(asReader.status()).isEqualTo(200);
        Response denied = node.request("GET", "/_security/_authenticate", basic("imp", "imp-pass"), null, Map.of("es-security-runas-user", "manager"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/user/authenticate] is unauthorized"
                + " for user [imp] with effective roles [impersonator], because user [imp] is unauthorized to run as [manager]");
        Response createAsReader = node.request("POST", FLEET + "/credential/token/x", basic("imp", "imp-pass"), null, Map.of("es-security-runas-user", "reader"));
        assertThat(createAsReader.json().at("/error/reason").asText()).startsWith("action [cluster:admin/xpack/security/service_account/token/create]"
                + " is unauthorized for user [imp] run as [reader] with effective roles [token_reader],");
        // a service account is never a run-as target
        Response target = node.request("GET", "/_security/_authenticate", TestNode.ELASTIC_BASIC, null, Map.of("es-security-runas-user", "elastic/fleet-server"));
        assertThat(target.status()).isEqualTo(403);
        assertThat(target.json().at("/error/reason").asText()).endsWith("because user [elastic] is unauthorized to run as [elastic/fleet-server]");
    }

    @Test
    void roleApi() throws Exception {
        Response created = node.asElastic("PUT", "/_security/role/api_role", "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}");
        assertThat(created.body()).isEqualTo("{\"role\":{\"created\":true}}");
        assertThat(node.asElastic("PUT", "/_security/role/api_role", "{\"cluster\":[\"all\"]}").body()).isEqualTo("{\"role\":{\"created\":false}}");
        Response get = node.asElastic("GET", "/_security/role/api_role");
        assertThat(get.json().at("/api_role/cluster").toString()).isEqualTo("[\"all\"]");
        assertThat(get.json().at("/api_role/transient_metadata").toString()).isEqualTo("{\"enabled\":true}");
        JsonNode all = node.asElastic("GET", "/_security/role").json();
        assertThat(all.has("superuser")).isTrue();
        assertThat(all.has("kibana_system")).isTrue();
        assertThat(all.has("api_role")).isTrue();
        Response reserved = node.asElastic("PUT", "/_security/role/superuser", "{\"cluster\":[\"all\"]}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: Role [superuser] is reserved and may not be used.;");
        assertThat(node.asElastic("DELETE", "/_security/role/superuser").json().at("/error/reason").asText())
                .isEqualTo("role [superuser] is reserved and cannot be deleted");
        Response bad = node.asElastic("PUT", "/_security/role/bad_role", "{\"clusterz\":[]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/reason").asText()).contains("failed to parse role [bad_role]");
        assertThat(node.asElastic("DELETE", "/_security/role/api_role").body()).isEqualTo("{\"found\":true}");
        assertThat(node.asElastic("GET", "/_security/role/api_role").status()).isEqualTo(404);
    }
}
