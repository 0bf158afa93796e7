package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** The OAuth2 token service over HTTP: {@code POST|DELETE /_security/oauth2/token} and Bearer access tokens, as Elasticsearch answers. */
class OAuth2TokensTest {

    private static final String TOKEN = "/_security/oauth2/token";
    private static final String EXPIRED_CHALLENGE = "Bearer realm=\"security\", error=\"invalid_token\", error_description=\"The access token expired\"";
    private static final String BOB = basic("bob", "bob-password");
    private static final String CAROL = basic("carol", "carol-password");

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.token.enabled", "true"));
        ok(node.asElastic("PUT", "/_security/role/token_maker", "{\"cluster\":[\"manage_token\"]}"));
        ok(node.asElastic("PUT", "/_security/user/bob", "{\"password\":\"bob-password\",\"roles\":[\"token_maker\"],\"full_name\":\"Bob\"}"));
        ok(node.asElastic("PUT", "/_security/user/carol", "{\"password\":\"carol-password\",\"roles\":[\"token_maker\"]}"));
        ok(node.asElastic("PUT", "/_security/user/dave", "{\"password\":\"dave-password\",\"roles\":[]}"));
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
        return node.request("POST", TOKEN, authorization, body, Map.of());
    }

    private static Response delete(String authorization, String body) throws Exception {
        return node.request("DELETE", TOKEN, authorization, body, Map.of());
    }

    private static JsonNode passwordGrant(String authorization, String user, String password) throws Exception {
        return ok(post(authorization, "{\"grant_type\":\"password\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).json();
    }

    private static List<String> fields(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void thePasswordGrantAnswersAsElasticsearchAndItsTokenAuthenticatesTheUser() throws Exception {
        JsonNode t = passwordGrant(TestNode.ELASTIC_BASIC, "bob", "bob-password");
        assertThat(fields(t)).containsExactly("access_token", "type", "expires_in", "refresh_token", "authentication");
        assertThat(t.get("type").asText()).isEqualTo("Bearer");
        assertThat(t.get("expires_in").asLong()).isEqualTo(1200);
        String access = t.get("access_token").asText();
        // standard Base64 with padding, no prefix, about 40 characters (a version number and 24 random bytes)
        assertThat(access).matches("[A-Za-z0-9+/]{38}==|[A-Za-z0-9+/]{39}=|[A-Za-z0-9+/]{40}").doesNotStartWith("AAEAA");
        assertThat(t.get("refresh_token").asText()).isNotEqualTo(access).hasSize(access.length());
        JsonNode authn = t.get("authentication");
        assertThat(authn.get("username").asText()).isEqualTo("bob");
        assertThat(authn.get("full_name").asText()).isEqualTo("Bob");
        assertThat(authn.get("authentication_realm").get("name").asText()).isEqualTo("default_native");
        assertThat(authn.get("authentication_type").asText()).isEqualTo("realm");

        JsonNode me = ok(node.request("GET", "/_security/_authenticate", bearer(access))).json();
        assertThat(me.get("username").asText()).isEqualTo("bob");
        assertThat(me.get("roles").toString()).isEqualTo("[\"token_maker\"]");
        assertThat(me.get("authentication_realm").toString()).isEqualTo("{\"name\":\"default_native\",\"type\":\"native\"}");
        assertThat(me.get("lookup_realm").toString()).isEqualTo("{\"name\":\"default_native\",\"type\":\"native\"}");
        assertThat(me.get("authentication_type").asText()).isEqualTo("token");
        // the token is authorized as its user: bob may mint tokens, not manage users
        assertThat(node.request("GET", "/_security/user", bearer(access)).status()).isEqualTo(403);
    }

    @Test
    void clientCredentialsGiveTheCallerATokenWithoutRefreshTokenAndTheScopeIsFull() throws Exception {
        JsonNode t = ok(post(BOB, "{\"grant_type\":\"client_credentials\",\"scope\":\"anything\"}")).json();
        assertThat(fields(t)).containsExactly("access_token", "type", "expires_in", "scope", "authentication");
        assertThat(t.get("scope").asText()).isEqualTo("full");
        assertThat(t.get("authentication").get("username").asText()).isEqualTo("bob");
        assertThat(ok(node.request("GET", "/_security/_authenticate", bearer(t.get("access_token").asText()))).json()
                .get("username").asText()).isEqualTo("bob");
    }

    @Test
    void aCallerWithoutManageTokenIsRefusedWithTheCreateOrRefreshAction() throws Exception {
        Response r = post(basic("dave", "dave-password"), "{\"grant_type\":\"client_credentials\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("reason").asText()).isEqualTo("action [cluster:admin/xpack/security/token/create] is unauthorized"
                + " for user [dave] with effective roles [], this action is granted by the cluster privileges [manage_token,manage_security,all]");
        Response refresh = post(basic("dave", "dave-password"), "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"x\"}");
        assertThat(refresh.status()).isEqualTo(403);
        assertThat(refresh.json().get("error").get("reason").asText()).startsWith("action [cluster:admin/xpack/security/token/refresh] is unauthorized");
    }

    @Test
    void serviceAccountsMayNotMintTokensForThemselves() throws Exception {
        String fleet = ok(node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/oauth")).json()
                .get("token").get("value").asText();
        Response r = post(bearer(fleet), "{\"grant_type\":\"client_credentials\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("error").get("reason").asText()).isEqualTo("action [cluster:admin/xpack/security/token/create] is"
                + " unauthorized for service account [elastic/fleet-server], this action is granted by the cluster privileges"
                + " [manage_token,manage_security,all]");
        String kibana = ok(node.asElastic("POST", "/_security/service/elastic/kibana/credential/token/oauth")).json()
                .get("token").get("value").asText();
        Response k = post(bearer(kibana), "{\"grant_type\":\"client_credentials\"}");
        assertThat(k.status()).isEqualTo(500);
        assertThat(k.json().get("error").get("type").asText()).isEqualTo("exception");
        assertThat(k.json().get("error").get("reason").asText()).isEqualTo("OAuth2 token creation is not supported for service accounts");
        // Kibana logs users in with the password grant: the token is the user's, and Kibana alone may refresh it
        JsonNode t = passwordGrant(bearer(kibana), "carol", "carol-password");
        assertThat(t.get("authentication").get("username").asText()).isEqualTo("carol");
        Response stolen = post(CAROL, "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + t.get("refresh_token").asText() + "\"}");
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"tokens must be refreshed by the creating client\"}");
        assertThat(ok(post(bearer(kibana), "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + t.get("refresh_token").asText() + "\"}"))
                .json().get("authentication").get("username").asText()).isEqualTo("carol");
    }

    @Test
    void badRequestsGetOAuth2ErrorsWithElasticsearchsTexts() throws Exception {
        Response grant = post(BOB, "{\"grant_type\":\"authorization_code\"}");
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.body()).isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Validation Failed: 1: grant_type only"
                + " supports the values: [password, _kerberos, refresh_token, client_credentials];\"}");
        assertThat(post(BOB, "{}").body()).contains("\"error\":\"unsupported_grant_type\"");
        Response missing = post(BOB, "{\"grant_type\":\"password\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Validation Failed: 1: username is missing;"
                + "2: password is missing;\"}");
        // Elasticsearch calls it unsupported_grant_type as soon as a message mentions grant_type, as these do
        assertThat(post(BOB, "{\"grant_type\":\"client_credentials\",\"username\":\"x\",\"refresh_token\":\"y\"}").body())
                .isEqualTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Validation Failed: 1: username is not supported with the"
                        + " client_credentials grant_type;2: refresh_token is not supported with the client_credentials grant_type;\"}");
        Response unknown = post(BOB, "{\"grant_type\":\"password\",\"user\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").get("reason").asText()).isEqualTo("[1:26] [token_request] unknown field [user]");
        Response wrong = post(BOB, "{\"grant_type\":\"password\",\"username\":\"carol\",\"password\":\"nope-nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").get("reason").asText())
                .isEqualTo("unable to authenticate user [carol] for action [cluster:admin/xpack/security/token/create]");
        assertThat(wrong.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"security\"");
        // no Kerberos realm here: a ticket authenticates nobody
        Response kerberos = post(BOB, "{\"grant_type\":\"_kerberos\",\"kerberos_ticket\":\"YWJj\"}");
        assertThat(kerberos.status()).isEqualTo(401);
        assertThat(kerberos.json().get("error").get("reason").asText())
                .isEqualTo("unable to authenticate user [<Kerberos Token>] for action [cluster:admin/xpack/security/token/create]");
        assertThat(post(BOB, "{\"grant_type\":\"_kerberos\"}").body())
                .isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Validation Failed: 1: kerberos_ticket is missing;\"}");
        Response badRefresh = post(BOB, "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"not-a-token\"}");
        assertThat(badRefresh.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"could not refresh the requested token\"}");
    }

    @Test
    void aRefreshTokenIsSingleUseButARepeatWithinThirtySecondsGetsTheSamePair() throws Exception {
        JsonNode first = passwordGrant(BOB, "carol", "carol-password");
        String body = "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + first.get("refresh_token").asText() + "\"}";
        JsonNode second = ok(post(BOB, body)).json();
        assertThat(fields(second)).containsExactly("access_token", "type", "expires_in", "refresh_token", "authentication");
        assertThat(second.get("access_token").asText()).isNotEqualTo(first.get("access_token").asText());
        assertThat(second.get("authentication").get("username").asText()).isEqualTo("carol");
        assertThat(second.get("authentication").get("authentication_type").asText()).isEqualTo("token");
        JsonNode repeat = ok(post(BOB, body)).json();
        assertThat(repeat.get("access_token").asText()).isEqualTo(second.get("access_token").asText());
        assertThat(repeat.get("refresh_token").asText()).isEqualTo(second.get("refresh_token").asText());
        // both the old access token (until it expires) and the new one work
        assertThat(ok(node.request("GET", "/_security/_authenticate", bearer(second.get("access_token").asText()))).json()
                .get("username").asText()).isEqualTo("carol");
        assertThat(ok(node.request("GET", "/_security/_authenticate", bearer(first.get("access_token").asText()))).json()
                .get("username").asText()).isEqualTo("carol");
        // the new refresh token is another single use
        assertThat(ok(post(BOB, "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + second.get("refresh_token").asText() + "\"}"))
                .json().get("access_token").asText()).isNotEqualTo(second.get("access_token").asText());
    }

    @Test
    void invalidationByTokenRefreshTokenUserAndRealmAnswersElasticsearchsCounts() throws Exception {
        JsonNode t = passwordGrant(BOB, "carol", "carol-password");
        String access = t.get("access_token").asText();
        Response done = delete(BOB, "{\"token\":\"" + access + "\"}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("{\"invalidated_tokens\":1,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        assertThat(delete(BOB, "{\"token\":\"" + access + "\"}").body())
                .isEqualTo("{\"invalidated_tokens\":0,\"previously_invalidated_tokens\":1,\"error_count\":0}");
        Response gone = node.request("GET", "/_security/_authenticate", bearer(access));
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.json().get("error").get("reason").asText()).isEqualTo("token expired");
        assertThat(gone.headers().allValues("WWW-Authenticate")).containsExactly(EXPIRED_CHALLENGE,
                "Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");
        // its refresh token still works until invalidated itself
        String refresh = t.get("refresh_token").asText();
        assertThat(delete(BOB, "{\"refresh_token\":\"" + refresh + "\"}").body())
                .isEqualTo("{\"invalidated_tokens\":1,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        assertThat(post(BOB, "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refresh + "\"}").body())
                .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"token has been invalidated\"}");

        Response unknown = delete(BOB, "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"invalidated_tokens\":0,\"previously_invalidated_tokens\":0,\"error_count\":0}");

        // by user: each live access token and each live refresh token counts
        ok(node.asElastic("PUT", "/_security/user/erin", "{\"password\":\"erin-password\",\"roles\":[]}"));
        JsonNode e1 = passwordGrant(BOB, "erin", "erin-password");
        passwordGrant(BOB, "erin", "erin-password");
        assertThat(delete(BOB, "{\"username\":\"erin\"}").body())
                .isEqualTo("{\"invalidated_tokens\":4,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        assertThat(node.request("GET", "/_security/_authenticate", bearer(e1.get("access_token").asText())).status()).isEqualTo(401);
        assertThat(delete(BOB, "{\"username\":\"erin\"}").body())
                .isEqualTo("{\"invalidated_tokens\":0,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        assertThat(delete(BOB, "{\"realm_name\":\"no_such_realm\",\"username\":\"erin\"}").status()).isEqualTo(200);
        JsonNode byRealm = passwordGrant(BOB, "erin", "erin-password");
        assertThat(delete(BOB, "{\"realm_name\":\"default_native\",\"username\":\"erin\"}").body())
                .isEqualTo("{\"invalidated_tokens\":2,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        assertThat(node.request("GET", "/_security/_authenticate", bearer(byRealm.get("access_token").asText())).status()).isEqualTo(401);
    }

    @Test
    void invalidationRequestsAreCheckedAsElasticsearchChecksThem() throws Exception {
        Response both = delete(BOB, "{\"token\":\"a\",\"refresh_token\":\"b\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.body()).contains("\"type\":\"x_content_parse_exception\",\"reason\":\"Failed to build [invalidate_token] after last"
                + " required field arrived\",\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"only one of [token,"
                + " refresh_token] may be sent per request\"}");
        Response none = delete(BOB, "{}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().get("error").get("type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(none.json().get("error").get("reason").asText())
                .isEqualTo("Validation Failed: 1: token string must be provided when not specifying a realm name or a username;");
        assertThat(delete(BOB, "{\"token\":\"a\",\"username\":\"bob\"}").json().get("error").get("reason").asText())
                .isEqualTo("Validation Failed: 1: token string must not be provided when realm name or username is specified;");
        assertThat(delete(basic("dave", "dave-password"), "{\"username\":\"bob\"}").json().get("error").get("reason").asText())
                .startsWith("action [cluster:admin/xpack/security/token/invalidate] is unauthorized for user [dave]");
    }

    @Test
    void aStringThatIsNoTokenIsTheGenericRefusal() throws Exception {
        Response r = node.request("GET", "/_security/_authenticate", bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").get("additional_unsuccessful_credentials").asText()).isEqualTo("oauth2 token: invalid token");
    }

    @Test
    void tokensSurviveARestartAndExpireAfterTheTimeout(@TempDir Path other) throws Exception {
        Map<String, String> settings = Map.of("xpack.security.authc.token.enabled", "true", "xpack.security.authc.token.timeout", "2s");
        JsonNode t;
        try (TestNode n = TestNode.start(other, settings)) {
            t = ok(n.request("POST", TOKEN, TestNode.ELASTIC_BASIC, "{\"grant_type\":\"client_credentials\"}", Map.of())).json();
            assertThat(t.get("expires_in").asLong()).isEqualTo(2);
        }
        try (TestNode n = TestNode.start(other, settings)) {
            String access = t.get("access_token").asText();
            assertThat(ok(n.request("GET", "/_security/_authenticate", bearer(access))).json().get("username").asText()).isEqualTo("elastic");
            Thread.sleep(2_500);
            Response expired = n.request("GET", "/_security/_authenticate", bearer(access));
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("error").get("reason").asText()).isEqualTo("token expired");
        }
    }

    @Test
    void onThe9xLineKibanasClientCredentialsAreA400SecurityException(@TempDir Path other) throws Exception {
        try (TestNode n = TestNode.start(other, Map.of("xpack.security.authc.token.enabled", "true", "svctoken.compatibility.version", "9.x"))) {
            String kibana = ok(n.asElastic("POST", "/_security/service/elastic/kibana/credential/token/oauth")).json()
                    .get("token").get("value").asText();
            Response k = n.request("POST", TOKEN, bearer(kibana), "{\"grant_type\":\"client_credentials\"}", Map.of());
            assertThat(k.status()).isEqualTo(400);
            assertThat(k.json().get("error").get("type").asText()).isEqualTo("security_exception");
            assertThat(k.json().get("error").get("reason").asText()).isEqualTo("OAuth2 token creation is not supported for service accounts");
        }
    }

    @Test
    void withoutTheTokenServiceBothApisSayItIsNotEnabled(@TempDir Path other) throws Exception {
        try (TestNode n = TestNode.start(other, Map.of())) {
            Response r = n.request("POST", TOKEN, TestNode.ELASTIC_BASIC, "{\"grant_type\":\"client_credentials\"}", Map.of());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("error").get("type").asText()).isEqualTo("feature_not_enabled_exception");
            assertThat(r.json().get("error").get("reason").asText()).isEqualTo("security tokens are not enabled");
            assertThat(r.json().get("error").get("disabled.feature").asText()).isEqualTo("security_tokens");
            assertThat(n.request("DELETE", TOKEN, TestNode.ELASTIC_BASIC, "{\"username\":\"x\"}", Map.of()).status()).isEqualTo(400);
        }
    }
}
