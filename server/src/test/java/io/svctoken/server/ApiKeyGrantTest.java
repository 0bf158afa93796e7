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
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST|PUT /_security/api_key/grant} over real HTTP, as Elasticsearch's grant tests run it. */
class ApiKeyGrantTest {

    @TempDir
    static Path home;
    static TestNode node;
    static final String GRANTER = basic("api_key_granter", "x-pack-test-password");
    static final String TARGET = basic("api_key_grant_target_user", "x-pack-test-password-2");
    static final String GRANT = "/_security/api_key/grant";
    static final String FORBIDDEN_TO_TARGET = "action [cluster:admin/xpack/security/api_key/grant] is unauthorized for user"
            + " [api_key_grant_target_user] with effective roles [api_key_grant_target_role], this action is granted by the cluster"
            + " privileges [grant_api_key,manage_api_key,manage_security,all]";

    @BeforeAll
    static void start() throws Exception {
        // the token service on (without HTTPS it is off by default), for the access_token grant
        node = TestNode.start(home, Map.of("xpack.security.authc.token.enabled", "true"));
        ok(node.asElastic("PUT", "/_security/role/api_key_granter_role", "{\"cluster\":[\"grant_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/role/api_key_grant_target_role",
                "{\"cluster\":[\"manage_own_api_key\"],\"indices\":[{\"names\":\"index\",\"privileges\":[\"all\"]}]}"));
        ok(node.asElastic("PUT", "/_security/role/api_key_grant_runas_role", "{\"run_as\":[\"api_key_grant_target_user\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_granter", "{\"password\":\"x-pack-test-password\",\"roles\":[\"api_key_granter_role\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_grant_target_user",
                "{\"password\":\"x-pack-test-password-2\",\"roles\":[\"api_key_grant_target_role\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_grant_runas_user",
                "{\"password\":\"x-pack-test-password-3\",\"roles\":[\"api_key_grant_runas_role\"]}"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    static Response grant(String authorization, String body) throws Exception {
        return node.request("POST", GRANT, authorization, body, Map.of());
    }

    static void assertError(Response r, int status, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
    }

    @Test
    void aPasswordGrantCreatesAKeyOwnedByTheGrantedUser() throws Exception {
        JsonNode k = ok(grant(GRANTER, "{\"api_key\":{\"name\":\"my-api-key\",\"expiration\":\"1d\",\"role_descriptors\":{\"role\":"
                + "{\"index\":[{\"names\":[\"index\"],\"privileges\":[\"read\"]}]}}},\"grant_type\":\"password\","
                + "\"username\":\"api_key_grant_target_user\",\"password\":\"x-pack-test-password-2\"}")).json();
        assertThat(k.get("name").asText()).isEqualTo("my-api-key");
        assertThat(k.has("expiration")).isTrue();
        JsonNode me = ok(node.request("GET", "/_security/_authenticate", "ApiKey " + k.get("encoded").asText())).json();
        assertThat(me.get("username").asText()).isEqualTo("api_key_grant_target_user");
        assertThat(me.get("roles")).isEmpty();
        assertThat(me.at("/authentication_realm/name").asText()).isEqualTo("_es_api_key");
        assertThat(me.at("/api_key/id").asText()).isEqualTo(k.get("id").asText());
        assertThat(me.at("/api_key/name").asText()).isEqualTo("my-api-key");
        // PUT too; the key is limited by the granted user's roles, not the granter's
        JsonNode put = ok(node.request("PUT", GRANT, GRANTER, "{\"api_key\":{\"name\":\"put-key\"},\"grant_type\":\"password\","
                + "\"username\":\"api_key_grant_target_user\",\"password\":\"x-pack-test-password-2\"}", Map.of())).json();
        JsonNode stored = ok(node.asElastic("GET", "/_security/api_key?with_limited_by=true&id=" + put.get("id").asText())).json();
        assertThat(stored.at("/api_keys/0/username").asText()).isEqualTo("api_key_grant_target_user");
        assertThat(stored.at("/api_keys/0/limited_by/0").has("api_key_grant_target_role")).isTrue();
    }

    @Test
    void aPasswordGrantWithRunAs() throws Exception {
        JsonNode k = ok(grant(GRANTER, "{\"api_key\":{\"name\":\"my-api-key-with-password-runas\"},\"grant_type\":\"password\","
                + "\"username\":\"api_key_grant_runas_user\",\"password\":\"x-pack-test-password-3\",\"run_as\":\"api_key_grant_target_user\"}"))
                .json();
        JsonNode me = ok(node.request("GET", "/_security/_authenticate", "ApiKey " + k.get("encoded").asText())).json();
        assertThat(me.get("username").asText()).isEqualTo("api_key_grant_target_user");
        assertThat(me.at("/api_key/name").asText()).isEqualTo("my-api-key-with-password-runas");
    }

    @Test
    void anAccessTokenGrantCreatesAKeyOwnedByTheTokensUserAndAnInvalidatedTokenGrantsNothing() throws Exception {
        JsonNode token = ok(node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"password\","
                + "\"username\":\"api_key_grant_target_user\",\"password\":\"x-pack-test-password-2\"}")).json();
        String access = token.get("access_token").asText();
        JsonNode k = ok(grant(GRANTER, "{\"api_key\":{\"name\":\"from-a-token\"},\"grant_type\":\"access_token\",\"access_token\":\""
                + access + "\"}")).json();
        JsonNode me = ok(node.request("GET", "/_security/_authenticate", "ApiKey " + k.get("encoded").asText())).json();
        assertThat(me.get("username").asText()).isEqualTo("api_key_grant_target_user");
        assertThat(me.at("/api_key/name").asText()).isEqualTo("from-a-token");
        // with run_as: the key is the run-as user's
        JsonNode runAsToken = ok(node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"password\","
                + "\"username\":\"api_key_grant_runas_user\",\"password\":\"x-pack-test-password-3\"}")).json();
        JsonNode ran = ok(grant(GRANTER, "{\"api_key\":{\"name\":\"token-runas\"},\"grant_type\":\"access_token\",\"access_token\":\""
                + runAsToken.get("access_token").asText() + "\",\"run_as\":\"api_key_grant_target_user\"}")).json();
        assertThat(ok(node.request("GET", "/_security/_authenticate", "ApiKey " + ran.get("encoded").asText())).json().get("username").asText())
                .isEqualTo("api_key_grant_target_user");
        ok(node.asElastic("DELETE", "/_security/oauth2/token", "{\"token\":\"" + access + "\"}"));
        Response after = grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"access_token\",\"access_token\":\"" + access + "\"}");
        assertError(after, 403, "security_exception", "Failed to authenticate api key grant");
        assertThat(after.body()).doesNotContain(access);
    }

    @Test
    void grantingNeedsGrantApiKeyEvenForOneself() throws Exception {
        assertError(grant(TARGET, "{\"api_key\":{\"name\":\"my-api-key\"},\"grant_type\":\"password\",\"username\":\"api_key_grant_target_user\","
                + "\"password\":\"x-pack-test-password-2\"}"), 403, "security_exception", FORBIDDEN_TO_TARGET);
        assertError(grant(TARGET, "{\"api_key\":{\"name\":\"my-api-key\"},\"grant_type\":\"password\",\"username\":\"api_key_granter\","
                + "\"password\":\"x-pack-test-password\"}"), 403, "security_exception", FORBIDDEN_TO_TARGET);
    }

    @Test
    void credentialsThatDoNotAuthenticateAreA403WithTheCauseUnderneath() throws Exception {
        Response wrong = grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"password\",\"username\":\"api_key_grant_target_user\","
                + "\"password\":\"not-the-password\"}");
        assertError(wrong, 403, "security_exception", "Failed to authenticate api key grant");
        assertThat(wrong.json().at("/error/root_cause/0/reason").asText()).isEqualTo("Failed to authenticate api key grant");
        assertThat(wrong.json().at("/error/caused_by/type").asText()).isEqualTo("security_exception");
        assertThat(wrong.json().at("/error/caused_by/reason").asText()).isEqualTo("unable to authenticate user [api_key_grant_target_user]"
                + " for action [cluster:admin/xpack/security/api_key/grant]");
        assertThat(wrong.body()).doesNotContain("not-the-password");

        // an access token this node cannot find or decode
        Response token = grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"access_token\",\"access_token\":\"dGhpcyBpcyBub3QgYSB0b2tlbg==\"}");
        assertError(token, 403, "security_exception", "Failed to authenticate api key grant");
        assertThat(token.json().at("/error/caused_by/reason").asText())
                .isEqualTo("unable to authenticate user [_bearer_token] for action [cluster:admin/xpack/security/api_key/grant]");
        assertError(grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"access_token\",\"access_token\":\"abc\","
                        + "\"client_authentication\":{\"scheme\":\"SharedSecret\",\"value\":\"whatever\"}}"), 400, "security_exception",
                "[client_authentication] not supported with the supplied access_token type");
    }

    @Test
    void validationWithElasticsearchsTexts() throws Exception {
        assertError(grant(GRANTER, "{\"api_key\":{\"name\":\"k\"}}"), 400, "action_request_validation_exception",
                "Validation Failed: 1: [grant_type] is required;");
        assertError(grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"password\",\"access_token\":\"t\"}"), 400,
                "action_request_validation_exception", "Validation Failed: 1: [username] is required for grant_type [password];"
                        + "2: [password] is required for grant_type [password];3: [access_token] is not supported for grant_type [password];");
        assertError(grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"access_token\",\"username\":\"u\"}"), 400,
                "action_request_validation_exception", "Validation Failed: 1: [access_token] is required for grant_type [access_token];"
                        + "2: [username] is not supported for grant_type [access_token];");
        assertError(grant(GRANTER, "{\"api_key\":{\"name\":\"k\"},\"grant_type\":\"client_credentials\"}"), 400,
                "action_request_validation_exception", "Validation Failed: 1: grant_type [client_credentials] is not supported;");
        assertError(grant(GRANTER, "{\"grant_type\":\"password\",\"username\":\"u\",\"password\":\"p\"}"), 400,
                "action_request_validation_exception", "Validation Failed: 1: api key name is required;");
        Response unknown = grant(GRANTER, "{\"nope\":1}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/reason").asText()).isEqualTo("[1:2] [grant_api_key_request] unknown field [nope]");
    }
}
