package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.Revocation;
import io.svctoken.server.TestNode.Response;
import io.svctoken.server.http.Json;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API keys (issue 6 part 2): create, get, invalidate, {@code ApiKey} authentication and limited-by authorization. */
class ApiKeysTest {

    private static final String FLEET = "/_security/service/elastic/fleet-server";
    private static final String UNABLE = "unable to authenticate with provided credentials and anonymous access is not allowed for this request";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        ok(node.asElastic("PUT", "/_security/role/reader_own", "{\"cluster\":[\"read_security\",\"manage_own_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/role/own_only", "{\"cluster\":[\"manage_own_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/user/keyowner", "{\"password\":\"keyowner-pass\",\"roles\":[\"reader_own\"],\"full_name\":\"Key Owner\"}"));
        ok(node.asElastic("PUT", "/_security/user/ownonly", "{\"password\":\"ownonly-pass\",\"roles\":[\"own_only\"]}"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static Response post(String authorization, String body) throws Exception {
        return node.request("POST", "/_security/api_key", authorization, body, Map.of());
    }

    private static JsonNode create(String authorization, String body) throws Exception {
        return ok(post(authorization, body)).json();
    }

    private static String apiKey(JsonNode created) {
        return "ApiKey " + created.get("encoded").asText();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String reason(Response r) {
        return r.json().at("/error/reason").asText();
    }

    private static void assertUnsuccessful(Response r, String apiKeyMessage) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(reason(r)).isEqualTo(UNABLE);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/error/additional_unsuccessful_credentials").asText()).isEqualTo("API key: " + apiKeyMessage);
        assertThat(r.json().at("/error/root_cause/0/additional_unsuccessful_credentials").asText()).isEqualTo("API key: " + apiKeyMessage);
        assertThat(r.headers().allValues("WWW-Authenticate")).contains("ApiKey");
    }

    @Test
    void createGetAndInvalidateHaveElasticsearchShapes() throws Exception {
        long before = System.currentTimeMillis();
        JsonNode created = create(TestNode.ELASTIC_BASIC, "{\"name\":\"shape-key\",\"expiration\":\"1d\",\"metadata\":{\"team\":\"a\"},"
                + "\"role_descriptors\":{\"r1\":{\"cluster\":[\"monitor\"]}}}");
        assertThat(fieldNames(created)).containsExactly("id", "name", "expiration", "api_key", "encoded");
        String id = created.get("id").asText();
        String secret = created.get("api_key").asText();
        assertThat(id).hasSize(20);
        assertThat(secret).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(created.get("name").asText()).isEqualTo("shape-key");
        assertThat(created.get("encoded").asText())
                .isEqualTo(Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)));
        long expiration = created.get("expiration").asLong();
        assertThat(expiration).isBetween(before + 86_400_000L, System.currentTimeMillis() + 86_400_000L);
        // without expiration the field is absent; refresh is accepted as on every write API
        JsonNode forever = ok(node.request("PUT", "/_security/api_key?refresh=wait_for", TestNode.ELASTIC_BASIC, "{\"name\":\"shape-forever\"}",
                Map.of())).json();
        assertThat(fieldNames(forever)).containsExactly("id", "name", "api_key", "encoded");
        assertThat(reason(node.request("POST", "/_security/api_key?refresh=nope", TestNode.ELASTIC_BASIC, "{\"name\":\"x\"}", Map.of())))
                .isEqualTo("Unknown value for refresh: [nope].");

        JsonNode got = ok(node.asElastic("GET", "/_security/api_key?id=" + id)).json();
        assertThat(got.get("api_keys")).hasSize(1);
        JsonNode info = got.at("/api_keys/0");
        assertThat(fieldNames(info)).containsExactly("id", "name", "type", "creation", "expiration", "invalidated", "username", "realm",
                "realm_type", "metadata", "role_descriptors");
        assertThat(info.get("type").asText()).isEqualTo("rest");
        assertThat(info.get("expiration").asLong()).isEqualTo(expiration);
        assertThat(info.get("creation").asLong()).isEqualTo(expiration - 86_400_000L);
        assertThat(info.get("invalidated").asBoolean()).isFalse();
        assertThat(info.get("username").asText()).isEqualTo("elastic");
        assertThat(info.get("realm").asText()).isEqualTo("reserved");
        assertThat(info.get("realm_type").asText()).isEqualTo("reserved");
        assertThat(info.get("metadata").toString()).isEqualTo("{\"team\":\"a\"}");
        assertThat(info.at("/role_descriptors/r1/cluster").toString()).isEqualTo("[\"monitor\"]");
        JsonNode limited = ok(node.asElastic("GET", "/_security/api_key?id=" + id + "&with_limited_by=true")).json().at("/api_keys/0/limited_by");
        assertThat(limited).hasSize(1);
        assertThat(limited.get(0).has("superuser")).isTrue();
        assertThat(limited.at("/0/superuser/cluster").toString()).isEqualTo("[\"all\"]");

        assertThat(ok(node.asElastic("GET", "/_security/api_key?name=shape*")).json().get("api_keys")).hasSize(2);
        assertThat(ok(node.asElastic("GET", "/_security/api_key?name=shape-key")).json().get("api_keys")).hasSize(1);
        Response missing = node.asElastic("GET", "/_security/api_key?id=no-such-key");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"api_keys\":[]}");
        Response both = node.asElastic("GET", "/_security/api_key?id=a&name=b&username=c");
        assertThat(reason(both)).isEqualTo("Validation Failed: 1: username or realm name must not be specified when the api key id or api key"
                + " name is specified;2: only one of [api key id, api key name] can be specified;");

        Response invalidated = ok(node.request("DELETE", "/_security/api_key", TestNode.ELASTIC_BASIC, "{\"ids\":[\"" + id + "\"]}", Map.of()));
        assertThat(invalidated.body()).isEqualTo("{\"invalidated_api_keys\":[\"" + id + "\"],\"previously_invalidated_api_keys\":[],\"error_count\":0}");
        Response again = ok(node.request("DELETE", "/_security/api_key", TestNode.ELASTIC_BASIC, "{\"ids\":[\"" + id + "\"]}", Map.of()));
        assertThat(again.body()).isEqualTo("{\"invalidated_api_keys\":[],\"previously_invalidated_api_keys\":[],\"error_count\":0}");
        JsonNode kept = ok(node.asElastic("GET", "/_security/api_key?id=" + id)).json().at("/api_keys/0");
        assertThat(kept.get("invalidated").asBoolean()).isTrue();
        assertThat(fieldNames(kept)).containsSubsequence("invalidated", "invalidation", "username");
        assertThat(ok(node.asElastic("GET", "/_security/api_key?name=shape*&active_only=true")).json().get("api_keys")).hasSize(1);

        Response nothing = node.request("DELETE", "/_security/api_key", TestNode.ELASTIC_BASIC, "{}", Map.of());
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(reason(nothing)).isEqualTo("Validation Failed: 1: One of [api key id(s), api key name, username, realm name] must be"
                + " specified if [owner] flag is false;");
        Response noBody = node.request("DELETE", "/_security/api_key", TestNode.ELASTIC_BASIC, null, Map.of());
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(reason(noBody)).isEqualTo("request body is required");
    }

    @Test
    void createValidatesLikeElasticsearch() throws Exception {
        Response empty = post(TestNode.ELASTIC_BASIC, "{\"name\":\"\"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(reason(empty)).isEqualTo("Validation Failed: 1: api key name is required;");
        Response bad = post(TestNode.ELASTIC_BASIC, "{\"name\":\" _x\",\"metadata\":{\"_a\":1}}");
        assertThat(reason(bad)).isEqualTo("Validation Failed: 1: api key name may not begin or end with whitespace;"
                + "2: API key metadata keys may not start with [_];");
        Response noName = post(TestNode.ELASTIC_BASIC, "{\"expiration\":\"1d\"}");
        assertThat(noName.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(reason(noName)).isEqualTo("Required [name]");
        Response unknown = post(TestNode.ELASTIC_BASIC, "{\"name\":\"a\",\"nam\":1}");
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(reason(unknown)).isEqualTo("[1:13] [api_key_request] unknown field [nam] did you mean [name]?");
        Response expiration = post(TestNode.ELASTIC_BASIC, "{\"name\":\"a\",\"expiration\":\"soon\"}");
        assertThat(expiration.status()).isEqualTo(400);
        assertThat(expiration.json().at("/error/caused_by/type").asText()).isEqualTo("parse_exception");
        assertThat(expiration.json().at("/error/caused_by/reason").asText())
                .isEqualTo("failed to parse setting [expiration] with value [soon] as a time value: unit is missing or unrecognized");
        Response role = post(TestNode.ELASTIC_BASIC, "{\"name\":\"a\",\"role_descriptors\":{\"r\":{\"cluster\":\"all\"}}}");
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(reason(role)).endsWith("[api_key_request] failed to parse field [role_descriptors]");
        assertThat(role.json().at("/error/caused_by/reason").asText()).isEqualTo("failed to parse role [r]");
        // role names the role API would refuse are fine for API keys
        ok(post(TestNode.ELASTIC_BASIC, "{\"name\":\"reserved-name\",\"role_descriptors\":{\"superuser\":{\"cluster\":[\"monitor\"]}}}"));
        assertThat(post(null, "{\"name\":\"anonymous\"}").status()).isEqualTo(401);
    }

    @Test
    void apiKeyAuthenticationAndTheAuthenticateShape() throws Exception {
        JsonNode created = create(TestNode.ELASTIC_BASIC, "{\"name\":\"auth-key\"}");
        String id = created.get("id").asText();
        JsonNode elastic = ok(node.asElastic("GET", "/_security/_authenticate")).json();
        for (int i = 0; i < 2; i++) { // the second one is served from the cache
            Response me = ok(node.request("GET", "/_security/_authenticate", apiKey(created)));
            assertThat(fieldNames(me.json())).containsExactly("username", "roles", "full_name", "email", "metadata", "enabled",
                    "authentication_realm", "lookup_realm", "authentication_type", "api_key");
            assertThat(me.body()).isEqualTo("{\"username\":\"elastic\",\"roles\":[],\"full_name\":null,\"email\":null,\"metadata\":"
                    + elastic.get("metadata") + ",\"enabled\":true,\"authentication_realm\":{\"name\":\"_es_api_key\",\"type\":\"_es_api_key\"},"
                    + "\"lookup_realm\":{\"name\":\"_es_api_key\",\"type\":\"_es_api_key\"},\"authentication_type\":\"api_key\","
                    + "\"api_key\":{\"id\":\"" + id + "\",\"name\":\"auth-key\"}}");
        }
        // no descriptors: the owner's privileges (a superuser's key can do what elastic can)
        ok(node.request("GET", "/_security/service", apiKey(created)));

        String wrong = Base64.getEncoder().encodeToString((id + ":not-the-secret-value").getBytes(StandardCharsets.UTF_8));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + wrong), "invalid credentials for API key [" + id + "]");
        ok(node.request("GET", "/_security/_authenticate", apiKey(created))); // a wrong secret does not evict the right one
        String unknown = Base64.getEncoder().encodeToString("unknown-id:whatever-secret".getBytes(StandardCharsets.UTF_8));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + unknown), "unable to find apikey with id unknown-id");
        // the scheme is case-insensitive, as in Elasticsearch
        ok(node.request("GET", "/_security/_authenticate", "apikey " + created.get("encoded").asText()));
    }

    @Test
    void malformedApiKeyHeadersAre401NeverServerErrors() throws Exception {
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey !!!!"), "Illegal base64 character 21");
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey a"), "Input byte[] should at least have 2 bytes for base64 bytes");
        String noColon = Base64.getEncoder().encodeToString("no-colon-here".getBytes(StandardCharsets.UTF_8));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + noColon), "invalid ApiKey value");
        String emptyId = Base64.getEncoder().encodeToString(":secret".getBytes(StandardCharsets.UTF_8));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + emptyId), "invalid ApiKey value");
        String notUtf8 = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':', 'x'});
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + notUtf8), "unable to find apikey with id \uFFFD\uFFFD");
        String emptySecret = Base64.getEncoder().encodeToString("some-id:".getBytes(StandardCharsets.UTF_8));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", "ApiKey " + emptySecret), "unable to find apikey with id some-id");
        // "ApiKey" without a value is no credential at all
        Response bare = node.request("GET", "/_security/_authenticate", "ApiKey");
        assertThat(bare.status()).isEqualTo(401);
        assertThat(reason(bare)).isEqualTo("missing authentication credentials for REST request [/_security/_authenticate]");
    }

    @Test
    void anEnrollmentScopedKeyIsForbiddenEverythingElse() throws Exception {
        JsonNode created = create(TestNode.ELASTIC_BASIC, "{\"name\":\"enrollment_token_API_key_x\",\"expiration\":\"30m\","
                + "\"role_descriptors\":{\"create_enrollment_token\":{\"cluster\":[\"cluster:admin/xpack/security/enroll/kibana\"]}}}");
        String id = created.get("id").asText();
        Response list = node.request("GET", "/_security/service", apiKey(created));
        assertThat(list.status()).isEqualTo(403);
        assertThat(reason(list)).isEqualTo("action [cluster:admin/xpack/security/service_account/get] is unauthorized for API key id [" + id
                + "] of user [elastic], this action is granted by the cluster privileges [manage_service_account,read_security,manage_security,all]");
        Response token = node.request("POST", FLEET + "/credential/token/from-enrollment-key", apiKey(created));
        assertThat(token.status()).isEqualTo(403);
        assertThat(reason(token)).isEqualTo("action [cluster:admin/xpack/security/service_account/token/create] is unauthorized for API key id ["
                + id + "] of user [elastic], this action is granted by the cluster privileges [manage_service_account,manage_security,all]");
        assertThat(token.headers().firstValue("WWW-Authenticate")).isEmpty();
        // a key may always read its own information, but nothing more
        ok(node.request("GET", "/_security/api_key?id=" + id, apiKey(created)));
        Response others = node.request("GET", "/_security/api_key", apiKey(created));
        assertThat(reason(others)).isEqualTo("action [cluster:admin/xpack/security/api_key/get] is unauthorized for API key id [" + id
                + "] of user [elastic], this action is granted by the cluster privileges [read_security,manage_api_key,manage_security,all]");
    }

    @Test
    void withEnrollmentSwitchedOffTheEnrollApiIsForbiddenWithElasticsearchsText(@TempDir Path home) throws Exception {
        try (TestNode off = TestNode.start(home, Map.of("xpack.security.enrollment.enabled", "false"))) {
            Response r = off.request("GET", "/_security/enroll/kibana", TestNode.ELASTIC_BASIC);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(reason(r)).isEqualTo("Enrollment mode is not enabled. Set [xpack.security.enrollment.enabled] to true,"
                    + " in order to use this API.");
            // authentication still comes first
            assertThat(off.request("GET", "/_security/enroll/kibana", null).status()).isEqualTo(401);
            // and nothing was created
            JsonNode creds = off.request("GET", "/_security/service/elastic/kibana/credential", TestNode.ELASTIC_BASIC).json();
            assertThat(creds.get("count").asInt()).isZero();
        }
    }

    /**
     * {@code xpack.security.authc.api_key.cache.ttl} reaches the authenticator: a key invalidated behind
     * the node's back (in the database, no API call to clear the cache) keeps working while its success
     * is cached (the default 24 h), and stops at once with the cache off.
     */
    @Test
    void theApiKeyCacheSettingsDecideWhetherASuccessIsRemembered(@TempDir Path base) throws Exception {
        for (String ttl : List.of("24h", "0")) {
            Path home = base.resolve("ttl-" + ttl);
            try (TestNode n = TestNode.start(home, Map.of("xpack.security.authc.api_key.cache.ttl", ttl))) {
                JsonNode key = ok(n.request("POST", "/_security/api_key", TestNode.ELASTIC_BASIC, "{\"name\":\"k\"}", Map.of())).json();
                ok(n.request("GET", "/_security/_authenticate", apiKey(key)));
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve("svctoken.db"));
                     PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET invalidated = 1, invalidation_time = 1 WHERE id = ?")) {
                    ps.setString(1, key.get("id").asText());
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                Response after = n.request("GET", "/_security/_authenticate", apiKey(key));
                if (ttl.equals("0")) {
                    assertUnsuccessful(after, "api key [" + key.get("id").asText() + "] has been invalidated");
                } else {
                    assertThat(after.status()).as("cached for 24h: " + after.body()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void expiredAndInvalidatedKeysAre401() throws Exception {
        // Elasticsearch counts whole seconds of the expiration: 500ms expires at once
        JsonNode expired = create(TestNode.ELASTIC_BASIC, "{\"name\":\"short-lived\",\"expiration\":\"500ms\"}");
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", apiKey(expired)), "api key is expired");
        JsonNode oneSecond = create(TestNode.ELASTIC_BASIC, "{\"name\":\"one-second\",\"expiration\":\"1s\"}");
        Response first = node.request("GET", "/_security/_authenticate", apiKey(oneSecond));
        long deadline = oneSecond.get("expiration").asLong();
        if (System.currentTimeMillis() < deadline - 50) {
            assertThat(first.status()).as(first.body()).isEqualTo(200); // now cached
        }
        Thread.sleep(Math.max(0, deadline - System.currentTimeMillis()) + 20);
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", apiKey(oneSecond)), "api key is expired");

        JsonNode revoked = create(TestNode.ELASTIC_BASIC, "{\"name\":\"revoked\"}");
        String id = revoked.get("id").asText();
        ok(node.request("GET", "/_security/_authenticate", apiKey(revoked))); // cached
        ok(node.request("DELETE", "/_security/api_key", TestNode.ELASTIC_BASIC, "{\"name\":\"revoked\"}", Map.of()));
        assertUnsuccessful(node.request("GET", "/_security/_authenticate", apiKey(revoked)), "api key [" + id + "] has been invalidated");
    }

    @Test
    void aKeyIsLimitedByItsOwnersRolesAtCreation() throws Exception {
        String owner = basic("keyowner", "keyowner-pass");
        JsonNode created = create(owner, "{\"name\":\"wants-everything\",\"role_descriptors\":{\"everything\":{\"cluster\":[\"all\"]}}}");
        String id = created.get("id").asText();
        ok(node.request("GET", "/_security/service", apiKey(created))); // read_security: granted by both
        Response token = node.request("POST", FLEET + "/credential/token/from-limited-key", apiKey(created));
        assertThat(token.status()).isEqualTo(403);
        assertThat(reason(token)).isEqualTo("action [cluster:admin/xpack/security/service_account/token/create] is unauthorized for API key id ["
                + id + "] of user [keyowner], this action is granted by the cluster privileges [manage_service_account,manage_security,all]");
        JsonNode me = ok(node.request("GET", "/_security/_authenticate", apiKey(created))).json();
        assertThat(me.get("username").asText()).isEqualTo("keyowner");
        assertThat(me.get("full_name").asText()).isEqualTo("Key Owner");
        JsonNode info = ok(node.asElastic("GET", "/_security/api_key?id=" + id + "&with_limited_by=true")).json().at("/api_keys/0");
        assertThat(info.get("realm").asText()).isEqualTo("default_native");
        assertThat(info.get("realm_type").asText()).isEqualTo("native");
        assertThat(info.at("/limited_by/0/reader_own/cluster").toString()).isEqualTo("[\"read_security\",\"manage_own_api_key\"]");
        // the owner's roles changing later does not widen the key
        ok(node.asElastic("PUT", "/_security/role/reader_own", "{\"cluster\":[\"read_security\",\"manage_own_api_key\",\"manage_service_account\"]}"));
        try {
            assertThat(node.request("POST", FLEET + "/credential/token/from-limited-key", apiKey(created)).status()).isEqualTo(403);
        } finally {
            ok(node.asElastic("PUT", "/_security/role/reader_own", "{\"cluster\":[\"read_security\",\"manage_own_api_key\"]}"));
        }
    }

    @Test
    void manageOwnApiKeyReachesOnlyOwnKeys() throws Exception {
        String own = basic("ownonly", "ownonly-pass");
        JsonNode mine = create(own, "{\"name\":\"own-1\"}");
        JsonNode elastics = create(TestNode.ELASTIC_BASIC, "{\"name\":\"not-ownonly\"}");
        Response all = node.request("GET", "/_security/api_key", own);
        assertThat(all.status()).isEqualTo(403);
        assertThat(reason(all)).isEqualTo("action [cluster:admin/xpack/security/api_key/get] is unauthorized for user [ownonly] with effective"
                + " roles [own_only], this action is granted by the cluster privileges [read_security,manage_api_key,manage_security,all]");
        JsonNode listed = ok(node.request("GET", "/_security/api_key?owner=true", own)).json();
        assertThat(listed.get("api_keys")).hasSize(1);
        assertThat(listed.at("/api_keys/0/id").asText()).isEqualTo(mine.get("id").asText());
        ok(node.request("GET", "/_security/api_key?username=ownonly&realm_name=default_native", own));
        assertThat(node.request("GET", "/_security/api_key?username=elastic&realm_name=reserved", own).status()).isEqualTo(403);

        Response theirs = node.request("DELETE", "/_security/api_key", own, "{\"ids\":[\"" + elastics.get("id").asText() + "\"]}", Map.of());
        assertThat(theirs.status()).isEqualTo(403);
        assertThat(reason(theirs)).isEqualTo("action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user [ownonly] with"
                + " effective roles [own_only], this action is granted by the cluster privileges [manage_api_key,manage_security,all]");
        Response owned = ok(node.request("DELETE", "/_security/api_key", own, "{\"owner\":true}", Map.of()));
        assertThat(owned.body()).isEqualTo("{\"invalidated_api_keys\":[\"" + mine.get("id").asText() + "\"],"
                + "\"previously_invalidated_api_keys\":[],\"error_count\":0}");
        Response ownedWithUser = node.request("DELETE", "/_security/api_key", own, "{\"owner\":true,\"username\":\"x\"}", Map.of());
        assertThat(reason(ownedWithUser)).isEqualTo("Validation Failed: 1: neither username nor realm-name may be specified when invalidating"
                + " owned API keys;");
        assertThat(ok(node.asElastic("GET", "/_security/api_key?id=" + elastics.get("id").asText())).json()
                .at("/api_keys/0/invalidated").asBoolean()).isFalse();
    }

    @Test
    void fleetServerCreatesItsOwnKeys() throws Exception {
        String token = ok(node.asElastic("POST", FLEET + "/credential/token/fleet-key-maker")).json().at("/token/value").asText();
        JsonNode created = create(bearer(token), "{\"name\":\"fleet-output\",\"metadata\":{\"managed_by\":\"fleet\"}}");
        JsonNode listed = ok(node.request("GET", "/_security/api_key?owner=true&with_limited_by=false", bearer(token))).json();
        assertThat(listed.get("api_keys")).hasSize(1);
        JsonNode info = listed.at("/api_keys/0");
        assertThat(info.get("username").asText()).isEqualTo("elastic/fleet-server");
        assertThat(info.get("realm").asText()).isEqualTo("_service_account");
        assertThat(info.get("realm_type").asText()).isEqualTo("_service_account");
        JsonNode limited = ok(node.asElastic("GET", "/_security/api_key?id=" + created.get("id").asText() + "&with_limited_by=true")).json();
        assertThat(limited.at("/api_keys/0/limited_by/0").has("elastic/fleet-server")).isTrue();
        JsonNode me = ok(node.request("GET", "/_security/_authenticate", apiKey(created))).json();
        assertThat(me.get("username").asText()).isEqualTo("elastic/fleet-server");
        assertThat(me.get("full_name").asText()).isEqualTo("Service account - elastic/fleet-server");
        assertThat(me.get("metadata").toString()).isEqualTo("{\"_elastic_service_account\":true}");
        // the service account cannot see or invalidate the keys of others
        assertThat(node.request("GET", "/_security/api_key", bearer(token)).status()).isEqualTo(403);
        ok(node.request("DELETE", "/_security/api_key", bearer(token), "{\"owner\":true}", Map.of()));
    }

    @Test
    void derivedKeysAndTokensCreatedWithAKey() throws Exception {
        JsonNode parent = create(TestNode.ELASTIC_BASIC, "{\"name\":\"parent\"}");
        Response derived = post(apiKey(parent), "{\"name\":\"child\"}");
        assertThat(derived.status()).isEqualTo(400);
        assertThat(derived.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(reason(derived)).isEqualTo("creating derived api keys requires an explicit role descriptor that is empty (has no privileges)");
        JsonNode child = create(apiKey(parent), "{\"name\":\"child\",\"role_descriptors\":{\"nothing\":{}}}");
        JsonNode childInfo = ok(node.asElastic("GET", "/_security/api_key?id=" + child.get("id").asText())).json().at("/api_keys/0");
        assertThat(childInfo.get("realm").asText()).isEqualTo("_es_api_key");
        assertThat(node.request("GET", "/_security/service", apiKey(child)).status()).isEqualTo(403);

        // a service token created by an API key records the key's owner, from the API key realm
        ok(node.request("POST", FLEET + "/credential/token/made-by-a-key", apiKey(parent)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve("svctoken.db"));
             PreparedStatement ps = c.prepareStatement("SELECT creator FROM service_account_tokens WHERE name = 'made-by-a-key'")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                JsonNode creator = Json.MAPPER.readTree(rs.getString(1));
                assertThat(creator.get("principal").asText()).isEqualTo("elastic");
                assertThat(creator.get("realm").asText()).isEqualTo("_es_api_key");
                assertThat(creator.get("realm_type").asText()).isEqualTo("_es_api_key");
            }
        }
    }

    @Test
    void theHashingSettingAndOtherAlgorithms() throws Exception {
        Path conf = home.resolve("config");
        assertThat(new NodeSettings(home, conf, Map.of()).apiKeyHasher().name()).isEqualTo("ssha256");
        assertThat(new NodeSettings(home, conf, Map.of(NodeSettings.API_KEY_HASHING, "PBKDF2_1000")).apiKeyHasher().name())
                .isEqualTo("pbkdf2_1000");
        assertThatThrownBy(() -> new NodeSettings(home, conf, Map.of(NodeSettings.API_KEY_HASHING, "md5")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("Invalid algorithm: md5. Valid values for password hashing are [")
                .hasMessageContaining("ssha256")
                .hasMessageContaining("(setting [xpack.security.authc.api_key.hashing.algorithm])");

        // keys hashed with PBKDF2 verify (the hasher is read from the stored hash); the store sees only the hash
        Map<String, ApiKeyRecord> stored = new ConcurrentHashMap<>();
        ApiKeyRepository memory = new ApiKeyRepository() {
            public void insertApiKey(ApiKeyRecord key) {
                stored.put(key.id(), key);
            }

            public Optional<ApiKeyRecord> findApiKey(String id) {
                return Optional.ofNullable(stored.get(id));
            }

            public List<ApiKeyRecord> findApiKeys(ApiKeyFilter filter) {
                return stored.values().stream().filter(filter::matches).toList();
            }

            public List<String> invalidateApiKeys(Collection<String> ids, long timeMillis,
                                                  Revocation revocation) {
                List<String> done = new ArrayList<>();
                ids.forEach(id -> stored.computeIfPresent(id, (k, v) -> {
                    if (v.invalidated()) {
                        return v;
                    }
                    done.add(id);
                    return v.invalidatedAt(timeMillis);
                }));
                return done;
            }

            public boolean updateApiKey(ApiKeyRecord updated, Revocation revocation) {
                return stored.computeIfPresent(updated.id(), (k, v) -> v.invalidated() ? v : updated) == updated;
            }
        };
        ApiKeyService service = new ApiKeyService(memory, Hasher.resolve("pbkdf2_1000"), Hasher.SSHA256, Duration.ZERO, 10,
                Runnable::run, Clock.systemUTC(), 1);
        UserAuthentication elastic = UserAuthentication.of(new User("elastic", List.of("superuser"), null, null, null, true), RealmRef.RESERVED);
        ApiKeyService.Created created = service.create(elastic, "pbkdf2-key", null, List.of(), null, List.of()).get();
        String secret = created.secret().revealAsString(SecretAccess.plaintext());
        assertThat(stored.get(created.id()).apiKeyHash()).startsWith("{PBKDF2}1000$").doesNotContain(secret);
        try (ApiKeyService.Credentials c = ApiKeyService.parseCredentials(
                Base64.getEncoder().encodeToString((created.id() + ":" + secret).getBytes(StandardCharsets.UTF_8)))) {
            assertThat(service.authenticate(c).get().owner()).isEqualTo("elastic");
        }
        try (ApiKeyService.Credentials c = ApiKeyService.parseCredentials(
                Base64.getEncoder().encodeToString((created.id() + ":wrong-secret-value").getBytes(StandardCharsets.UTF_8)))) {
            assertThat(service.authenticate(c)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ApiKeyService.Unsuccessful.class)
                    .withMessageContaining("invalid credentials for API key [" + created.id() + "]");
        }
    }
}
