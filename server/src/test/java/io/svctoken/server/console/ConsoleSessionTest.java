package io.svctoken.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.console.ConsoleClient.SESSION;
import static io.svctoken.server.TestNode.ELASTIC_BASIC;
import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's sessions on one node over SQLite, through real HTTP: sign-in, the cookie on other endpoints, CSRF, sign-out. */
class ConsoleSessionTest {

    private static final String TOKEN = "/_security/service/elastic/fleet-server/credential/token/";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        node.putRole("reader", "{\"cluster\":[\"read_security\"]}");
        node.putUser("rita", "reader");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String expired(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.header("WWW-Authenticate")).as("no browser password dialog").isNull();
        return r.json().at("/error/reason").asText();
    }

    @Test
    void signInWithAPasswordSetsTheSessionCookieAndAnswersTheSession() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        assertThat(c.signIn.header("Set-Cookie")).isEqualTo("svctoken_session=" + c.cookie + "; Path=/; HttpOnly; SameSite=Strict");
        JsonNode body = c.signIn.json();
        assertThat(body.path("username").asText()).isEqualTo("elastic");
        assertThat(body.path("authentication_type").asText()).isEqualTo("realm");
        assertThat(c.csrf).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(c.cookie);
        assertThat(body.path("idle_timeout_in_millis").asLong()).isEqualTo(1_800_000);
        assertThat(body.path("expires_in_millis").asLong()).isBetween(12 * 3600_000L - 60_000, 12 * 3600_000L);
        assertThat(body.fieldNames()).toIterable().containsExactly("username", "authentication_type", "csrf_token", "idle_timeout_in_millis",
                "expires_in_millis");

        Response again = c.get(node, SESSION);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("csrf_token").asText()).as("a reloaded page gets its CSRF token back").isEqualTo(c.csrf);
        assertThat(again.header("Set-Cookie")).isNull();
        assertThat(ConsoleClient.signInAs(node, "elastic", PASSWORD).cookie).as("every sign-in a new id").isNotEqualTo(c.cookie);
    }

    @Test
    void signInWithAnApiKey() throws Exception {
        Response key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"console\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        ConsoleClient c = ConsoleClient.signIn(node, "{\"api_key\":\"" + key.json().path("encoded").asText() + "\"}");
        assertThat(c.signIn.json().path("authentication_type").asText()).isEqualTo("api_key");
        assertThat(c.signIn.json().path("username").asText()).isEqualTo("elastic");
        JsonNode who = c.get(node, "/_security/_authenticate").json();
        assertThat(who.at("/authentication_type").asText()).isEqualTo("api_key");
        assertThat(who.at("/api_key/id").asText()).isEqualTo(key.json().path("id").asText());
    }

    @Test
    void wrongCredentialsAreTheHeadersRefusalAndSetNoCookie() throws Exception {
        Response r = node.request("POST", SESSION, null, "{\"username\":\"elastic\",\"password\":\"wrong-password\"}", Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("unable to authenticate user [elastic] for REST request [" + SESSION + "]");
        assertThat(r.header("Set-Cookie")).isNull();
        Response key = node.request("POST", SESSION, null, "{\"api_key\":\"bm90OmEta2V5\"}", Map.of());
        assertThat(key.status()).isEqualTo(401);
        assertThat(key.header("Set-Cookie")).isNull();
    }

    @Test
    void aBadBodyIsA400() throws Exception {
        for (String body : new String[]{"{\"username\":\"elastic\"}", "{\"api_key\":\"x\",\"username\":\"elastic\"}", "{}", "[1]",
                "{\"user\":\"elastic\",\"password\":\"x\"}"}) {
            Response r = node.request("POST", SESSION, null, body, Map.of());
            assertThat(r.status()).as(body + " " + r.body()).isEqualTo(400);
            assertThat(r.header("Set-Cookie")).isNull();
        }
        assertThat(node.request("POST", SESSION, null).status()).isEqualTo(400);
    }

    @Test
    void theCookieAuthenticatesAsItsUserWithTheSamePrivileges() throws Exception {
        ConsoleClient elastic = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        assertThat(elastic.get(node, "/_security/_authenticate").json().path("username").asText()).isEqualTo("elastic");

        ConsoleClient rita = ConsoleClient.signInAs(node, "rita", "rita-password");
        Response who = rita.get(node, "/_security/_authenticate");
        assertThat(who.json().path("username").asText()).isEqualTo("rita");
        assertThat(who.json().at("/authentication_realm/name").asText()).isEqualTo("default_native");
        assertThat(rita.get(node, "/_security/service").status()).isEqualTo(200);
        Response byCookie = rita.request(node, "POST", TOKEN + "by-cookie", null, true);
        Response byBasic = node.request("POST", TOKEN + "by-basic", TestNode.asUser("rita"));
        assertThat(byCookie.status()).isEqualTo(403);
        assertThat(byCookie.json().at("/error/reason").asText())
                .isEqualTo(byBasic.json().at("/error/reason").asText().replace("by-basic", "by-cookie"));
    }

    @Test
    void aChangeNeedsTheSessionsCsrfToken() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        Response none = c.request(node, "POST", TOKEN + "csrf-1", null, false);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(none.json().at("/error/reason").asText()).isEqualTo("missing or invalid CSRF token");
        Response wrong = node.request("POST", TOKEN + "csrf-1", null, null,
                Map.of("Cookie", "svctoken_session=" + c.cookie, "X-CSRF-Token", c.csrf.substring(1) + "A"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().at("/error/reason").asText()).isEqualTo("missing or invalid CSRF token");
        ConsoleClient other = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        Response another = node.request("POST", TOKEN + "csrf-1", null, null,
                Map.of("Cookie", "svctoken_session=" + c.cookie, "X-CSRF-Token", other.csrf));
        assertThat(another.status()).as("another session's token").isEqualTo(403);
        assertThat(node.asElastic("GET", "/_security/service/elastic/fleet-server/credential").json().toString()).doesNotContain("csrf-1");

        Response right = c.request(node, "POST", TOKEN + "csrf-1", null, true);
        assertThat(right.status()).as(right.body()).isEqualTo(200);
        assertThat(right.json().at("/token/name").asText()).isEqualTo("csrf-1");
    }

    @Test
    void signOutEndsTheSessionAndClearsTheCookie() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        Response noCsrf = c.request(node, "DELETE", SESSION, null, false);
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.json().at("/error/reason").asText()).isEqualTo("missing or invalid CSRF token");
        assertThat(c.get(node, SESSION).status()).isEqualTo(200);

        Response out = c.request(node, "DELETE", SESSION, null, true);
        assertThat(out.status()).as(out.body()).isEqualTo(200);
        assertThat(out.body()).isEqualTo("{\"signed_out\":true}");
        assertThat(out.header("Set-Cookie")).isEqualTo("svctoken_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
        assertThat(expired(c.get(node, SESSION))).isEqualTo("console session expired or missing");
        assertThat(expired(c.get(node, "/_security/_authenticate"))).isEqualTo("console session expired or missing");
        assertThat(expired(c.request(node, "DELETE", SESSION, null, true))).isEqualTo("console session expired or missing");
    }

    @Test
    void noOrAnUnknownCookieIsTheConsoles401() throws Exception {
        assertThat(expired(node.request("GET", SESSION, null))).isEqualTo("console session expired or missing");
        assertThat(expired(node.request("GET", SESSION, null, null, Map.of("Cookie", "svctoken_session=forged"))))
                .isEqualTo("console session expired or missing");
        assertThat(expired(node.request("GET", "/_security/_authenticate", null, null, Map.of("Cookie", "svctoken_session=forged"))))
                .isEqualTo("console session expired or missing");
        // other cookies are no credentials: the header's 401 as before
        Response plain = node.request("GET", "/_security/_authenticate", null, null, Map.of("Cookie", "other=1"));
        assertThat(plain.status()).isEqualTo(401);
        assertThat(plain.json().at("/error/reason").asText()).startsWith("missing authentication credentials");
    }

    @Test
    void aRequestWithACookieAndAnAuthorizationHeaderIsAuthenticatedByTheHeaderOnly() throws Exception {
        ConsoleClient rita = ConsoleClient.signInAs(node, "rita", "rita-password");
        Response asElastic = node.request("GET", "/_security/_authenticate", ELASTIC_BASIC, null, Map.of("Cookie", "svctoken_session=" + rita.cookie));
        assertThat(asElastic.json().path("username").asText()).isEqualTo("elastic");
        Response badHeader = node.request("GET", "/_security/_authenticate", TestNode.basic("rita", "wrong"), null,
                Map.of("Cookie", "svctoken_session=" + rita.cookie));
        assertThat(badHeader.status()).as("the session does not rescue a failed header").isEqualTo(401);
        // no CSRF asked of a header-authenticated change
        Response change = node.request("POST", TOKEN + "by-header", ELASTIC_BASIC, null, Map.of("Cookie", "svctoken_session=" + rita.cookie));
        assertThat(change.status()).as(change.body()).isEqualTo(200);
    }

    @Test
    void aDisabledOrDeletedUsersSessionStopsWorking() throws Exception {
        node.putUser("dora", "reader");
        node.putUser("dan", "reader");
        ConsoleClient dora = ConsoleClient.signInAs(node, "dora", "dora-password");
        ConsoleClient dan = ConsoleClient.signInAs(node, "dan", "dan-password");
        assertThat(dora.get(node, "/_security/_authenticate").status()).isEqualTo(200);
        assertThat(dan.get(node, "/_security/_authenticate").status()).isEqualTo(200);

        assertThat(node.asElastic("PUT", "/_security/user/dora/_disable").status()).isEqualTo(200);
        assertThat(node.asElastic("DELETE", "/_security/user/dan").status()).isEqualTo(200);
        assertThat(expired(dora.get(node, "/_security/_authenticate"))).isEqualTo("console session expired or missing");
        assertThat(expired(dan.get(node, SESSION))).isEqualTo("console session expired or missing");
        // ended for good: enabling the user again does not bring the session back
        assertThat(node.asElastic("PUT", "/_security/user/dora/_enable").status()).isEqualTo(200);
        assertThat(expired(dora.get(node, "/_security/_authenticate"))).isEqualTo("console session expired or missing");
    }

    @Test
    void anInvalidatedApiKeysSessionStopsWorking() throws Exception {
        Response key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"short-lived\"}");
        ConsoleClient c = ConsoleClient.signIn(node, "{\"api_key\":\"" + key.json().path("encoded").asText() + "\"}");
        assertThat(c.get(node, "/_security/_authenticate").status()).isEqualTo(200);
        Response inv = node.asElastic("DELETE", "/_security/api_key", "{\"ids\":[\"" + key.json().path("id").asText() + "\"]}");
        assertThat(inv.status()).as(inv.body()).isEqualTo(200);
        assertThat(expired(c.get(node, "/_security/_authenticate"))).isEqualTo("console session expired or missing");
    }

    @Test
    void theConsolesAnswersCarryTheSecurityHeaders() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        Response bad = node.request("POST", SESSION, null, "{\"username\":\"elastic\",\"password\":\"wrong-password\"}", Map.of());
        Response unknown = c.get(node, "/_svctoken/console/no-such-path/x");
        for (Response r : new Response[]{c.signIn, c.get(node, SESSION), node.request("GET", SESSION, null), bad, unknown}) {
            assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self';"
                    + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
            assertThat(r.header("Cross-Origin-Resource-Policy")).isEqualTo("same-origin");
            assertThat(r.header("Permissions-Policy")).isEqualTo("camera=(), microphone=(), geolocation=()");
            assertThat(r.header("Strict-Transport-Security")).as("plain HTTP").isNull();
            assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
            assertThat(r.header("WWW-Authenticate")).isNull();
        }
        assertThat(bad.status()).isEqualTo(401);
        assertThat(unknown.status()).isIn(400, 404);
        // Elasticsearch's own paths keep their headers
        Response es = c.get(node, "/_security/_authenticate");
        assertThat(es.header("Content-Security-Policy")).isNull();
        assertThat(es.header("X-Frame-Options")).isNull();
    }
}
