package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** On the 8.19 line (the default) the listing keeps 8.19's shape and knows no {@code type}; user-managed accounts still work. */
class UserManagedServiceAccounts819Test {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.token.enabled", "true"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theListingKeeps819sShapeAndUserManagedAccountsWorkBesideIt() throws Exception {
        JsonNode bare = node.asElastic("GET", "/_security/service").json();
        assertThat(bare.get("elastic/fleet-server").fieldNames()).toIterable().containsExactly("role_descriptor");
        Response typed = node.asElastic("GET", "/_security/service?type=built_in");
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.json().at("/error/reason").asText()).contains("unrecognized parameter: [type]");

        assertThat(node.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[\"monitor_role\"]}").body())
                .isEqualTo("{\"created\":true}");
        assertThat(node.asElastic("GET", "/_security/service").json().has("apps/svc_1")).isFalse();
        JsonNode apps = node.asElastic("GET", "/_security/service/apps").json();
        assertThat(apps.at("/apps~1svc_1/roles").toString()).isEqualTo("[\"monitor_role\"]");
        Response token = node.asElastic("POST", "/_security/service/apps/svc_1/credential/token/t1", null);
        assertThat(token.status()).isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(token.json().at("/token/value").asText())).json()
                .at("/metadata/_user_managed_service_account").asBoolean()).isTrue();
    }
    /** 8.19 knows neither the grant type nor its field: its answers for an unknown grant type and an unknown field. */
    @Test
    void theUserManagedGrantIsUnknownOnThe819Line() throws Exception {
        Response type = node.asElastic("POST", "/_security/api_key/grant",
                "{\"grant_type\":\"_user_managed_service_account\",\"api_key\":{\"name\":\"k\"}}");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.json().at("/error/reason").asText())
                .isEqualTo("Validation Failed: 1: grant_type [_user_managed_service_account] is not supported;");
        Response field = node.asElastic("POST", "/_security/api_key/grant",
                "{\"grant_type\":\"_user_managed_service_account\",\"service_account_token\":\"x\",\"api_key\":{\"name\":\"k\"}}");
        assertThat(field.status()).isEqualTo(400);
        assertThat(field.json().at("/error/reason").asText()).endsWith("[grant_api_key_request] unknown field [service_account_token]");
    }
    /** 8.19's token API lists four grant types and knows no service_account_token field. */
    @Test
    void theOAuth2ExchangeIsUnknownOnThe819Line() throws Exception {
        Response type = node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"_user_managed_service_account\"}");
        assertThat(type.body()).isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Validation Failed: 1: grant_type only"
                + " supports the values: [password, _kerberos, refresh_token, client_credentials];\"}");
        Response field = node.asElastic("POST", "/_security/oauth2/token",
                "{\"grant_type\":\"_user_managed_service_account\",\"service_account_token\":\"x\"}");
        assertThat(field.status()).isEqualTo(400);
        assertThat(field.json().at("/error/reason").asText()).endsWith("unknown field [service_account_token]");
    }
    /** 8.19 has no service-account query: its answer for a path it does not serve. */
    @Test
    void theQueryIsNotServedOnThe819Line() throws Exception {
        Response query = node.asElastic("POST", "/_security/_query/service", "{}");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.json().get("error").asText())
                .isEqualTo("no handler found for uri [/_security/_query/service] and method [POST]");
    }
}
