package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #12, item 2: a budget of failed authentications per name and client address, checked before any
 * hashing. Clients bind to different loopback addresses (Linux routes all of 127.0.0.0/8 to the
 * loopback interface) to act as different sources. Hash work is observed by counting verifications.
 */
class AuthenticationThrottleTest {

    private static final Hasher PASSWORDS = Hasher.resolve("pbkdf2_1000");
    private static final Hasher TOKENS = Hasher.resolve("pbkdf2_stretch_1000");
    private static final Hasher API_KEYS = Hasher.resolve("bcrypt4");
    private static final int BUDGET = 3;

    @TempDir
    static Path home;
    /** Budget of 3 failures, lockout of an hour: blocks last for the whole test. */
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Files.write(conf.resolve("users"), List.of("filer:" + PASSWORDS.hash(Secret.of("filer-pass"))));
        node = TestNode.start(home, Map.of("svctoken.authc.failure_throttle.max_failures", Integer.toString(BUDGET),
                "svctoken.authc.failure_throttle.window", "1h", "svctoken.authc.failure_throttle.lockout", "1h",
                "xpack.security.authc.api_key.hashing.algorithm", "bcrypt4"));
        assertThat(node.asElastic("PUT", "/_security/user/nat", "{\"password\":\"nat-pass\",\"roles\":[]}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** A response read off a raw socket. */
    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code GET path} from the local address {@code source} (a 127.x.y.z address), one request per connection. */
    static Raw request(TestNode n, String source, String path, String authorization) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", n.node().address().getPort()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(end + 4));
        }
    }

    private static Raw authenticate(String source, String authorization) throws Exception {
        return request(node, source, "/_security/_authenticate", authorization);
    }

    private static void assertThrottled(Raw r, String what) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        assertThat(r.header("WWW-Authenticate")).isNull();
        long retryAfter = Long.parseLong(r.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 3600L);
        JsonNode json = r.json();
        assertThat(json.at("/status").asInt()).isEqualTo(429);
        assertThat(json.at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(json.at("/error/root_cause/0/type").asText()).isEqualTo("security_exception");
        assertThat(json.at("/error/reason").asText()).isEqualTo("too many failed authentication attempts for " + what
                + " from this client address; retry after [" + retryAfter + "] seconds");
    }

    @Test
    void afterTheBudgetASourceIsRefusedForThatUserBeforeAnyHashingWhileOtherSourcesWork() throws Exception {
        String right = basic("elastic", TestNode.PASSWORD);
        assertThat(authenticate("127.0.0.2", right).status()).isEqualTo(200);
        long before = PASSWORDS.verifications();
        for (int i = 0; i < BUDGET; i++) {
            assertThat(authenticate("127.0.0.2", basic("elastic", "wrong-" + i)).status()).isEqualTo(401);
        }
        assertThat(PASSWORDS.verifications() - before).isEqualTo(BUDGET);

        long spent = PASSWORDS.verifications();
        assertThrottled(authenticate("127.0.0.2", basic("elastic", "wrong-again")), "user [elastic]");
        assertThrottled(authenticate("127.0.0.2", right), "user [elastic]");
        assertThat(PASSWORDS.verifications()).as("a refused attempt costs no hash").isEqualTo(spent);

        // another source: the right password works (from the cache), a wrong one has its own budget
        assertThat(authenticate("127.0.0.3", right).status()).isEqualTo(200);
        assertThat(authenticate("127.0.0.3", basic("elastic", "wrong")).status()).isEqualTo(401);
        assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
        // another user from the blocked source
        assertThat(authenticate("127.0.0.2", basic("nat", "nat-pass")).status()).isEqualTo(200);
    }

    @Test
    void everyRealmIsCovered() throws Exception {
        for (String[] user : List.of(new String[]{"nat", "nat-pass"}, new String[]{"filer", "filer-pass"})) {
            for (int i = 0; i < BUDGET; i++) {
                assertThat(authenticate("127.0.0.4", basic(user[0], "wrong-" + i)).status()).isEqualTo(401);
            }
            long spent = PASSWORDS.verifications();
            assertThrottled(authenticate("127.0.0.4", basic(user[0], user[1])), "user [" + user[0] + "]");
            assertThat(PASSWORDS.verifications()).isEqualTo(spent);
            assertThat(authenticate("127.0.0.5", basic(user[0], user[1])).status()).isEqualTo(200);
        }
    }

    /** Unknown names cost no hash and are not counted: no 429 for them, however many attempts. */
    @Test
    void unknownUsersAreNotTracked() throws Exception {
        long before = PASSWORDS.verifications();
        for (int i = 0; i < BUDGET * 5; i++) {
            assertThat(authenticate("127.0.0.6", basic("ghost", "wrong-" + i)).status()).isEqualTo(401);
        }
        assertThat(PASSWORDS.verifications()).as("no hash for a name no realm knows").isEqualTo(before);
    }

    @Test
    void serviceTokensHaveABudgetPerTokenName() throws Exception {
        String token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/throttled").json()
                .at("/token/value").asText();
        String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        String wrong = "Bearer " + Base64.getEncoder().withoutPadding().encodeToString(
                (decoded.substring(0, decoded.lastIndexOf(':') + 1) + "not-the-secret-0123456789").getBytes(StandardCharsets.UTF_8));
        assertThat(authenticate("127.0.0.7", "Bearer " + token).status()).isEqualTo(200);
        for (int i = 0; i < BUDGET; i++) {
            assertThat(authenticate("127.0.0.7", wrong).status()).isEqualTo(401);
        }
        long spent = TOKENS.verifications();
        assertThrottled(authenticate("127.0.0.7", wrong), "service account token [elastic/fleet-server/throttled]");
        assertThrottled(authenticate("127.0.0.7", "Bearer " + token), "service account token [elastic/fleet-server/throttled]");
        assertThat(TOKENS.verifications()).isEqualTo(spent);
        assertThat(authenticate("127.0.0.8", "Bearer " + token).status()).isEqualTo(200);
    }

    /** A user-managed account's tokens reach the store and a hash too, so they have the same budget. */
    @Test
    void serviceTokensOfUserManagedAccountsHaveABudgetPerTokenName() throws Exception {
        assertThat(node.asElastic("PUT", "/_security/service/apps/throttled", "{\"roles\":[]}").status()).isEqualTo(200);
        String token = node.asElastic("POST", "/_security/service/apps/throttled/credential/token/t1").json().at("/token/value").asText();
        String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        String wrong = "Bearer " + Base64.getEncoder().withoutPadding().encodeToString(
                (decoded.substring(0, decoded.lastIndexOf(':') + 1) + "not-the-secret-0123456789").getBytes(StandardCharsets.UTF_8));
        assertThat(authenticate("127.0.0.9", "Bearer " + token).status()).isEqualTo(200);
        for (int i = 0; i < BUDGET; i++) {
            assertThat(authenticate("127.0.0.9", wrong).status()).isEqualTo(401);
        }
        long spent = TOKENS.verifications();
        assertThrottled(authenticate("127.0.0.9", wrong), "service account token [apps/throttled/t1]");
        assertThat(TOKENS.verifications()).isEqualTo(spent);
        assertThat(authenticate("127.0.0.10", "Bearer " + token).status()).isEqualTo(200);
    }

    @Test
    void apiKeysHaveABudgetPerKeyId() throws Exception {
        JsonNode key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"throttled\"}").json();
        String id = key.get("id").asText();
        String right = "ApiKey " + key.get("encoded").asText();
        String wrong = "ApiKey " + Base64.getEncoder().encodeToString((id + ":not-the-key-secret").getBytes(StandardCharsets.UTF_8));
        assertThat(authenticate("127.0.0.9", right).status()).isEqualTo(200);
        for (int i = 0; i < BUDGET; i++) {
            assertThat(authenticate("127.0.0.9", wrong).status()).isEqualTo(401);
        }
        long spent = API_KEYS.verifications();
        assertThrottled(authenticate("127.0.0.9", wrong), "API key [" + id + "]");
        assertThrottled(authenticate("127.0.0.9", right), "API key [" + id + "]");
        assertThat(API_KEYS.verifications()).isEqualTo(spent);
        assertThat(authenticate("127.0.0.10", right).status()).isEqualTo(200);
        // an id that does not exist costs no hash and is not counted
        String unknown = "ApiKey " + Base64.getEncoder().encodeToString("no-such-id:whatever".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < BUDGET * 2; i++) {
            assertThat(authenticate("127.0.0.9", unknown).status()).isEqualTo(401);
        }
    }

    @Test
    void theLockoutEnds(@TempDir Path other) throws Exception {
        try (TestNode n = TestNode.start(other, Map.of("svctoken.authc.failure_throttle.max_failures", "2",
                "svctoken.authc.failure_throttle.lockout", "3s"))) {
            for (int i = 0; i < 2; i++) {
                assertThat(request(n, "127.0.0.2", "/", basic("elastic", "wrong-" + i)).status()).isEqualTo(401);
            }
            Raw blocked = request(n, "127.0.0.2", "/", TestNode.ELASTIC_BASIC);
            assertThat(blocked.status()).isEqualTo(429);
            assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 3L);
            long deadline = System.nanoTime() + 60_000_000_000L;
            Raw r;
            do {
                Thread.sleep(200);
                r = request(n, "127.0.0.2", "/", TestNode.ELASTIC_BASIC);
            } while (r.status() == 429 && System.nanoTime() < deadline);
            assertThat(r.status()).as("after the lockout").isEqualTo(200);
        }
    }

    @Test
    void theOffSwitch(@TempDir Path other) throws Exception {
        try (TestNode n = TestNode.start(other, Map.of("svctoken.authc.failure_throttle.enabled", "false",
                "svctoken.authc.failure_throttle.max_failures", "1"))) {
            long before = PASSWORDS.verifications();
            for (int i = 0; i < 15; i++) {
                assertThat(request(n, "127.0.0.2", "/", basic("elastic", "wrong-" + i)).status()).isEqualTo(401);
            }
            assertThat(PASSWORDS.verifications() - before).isEqualTo(15);
            assertThat(request(n, "127.0.0.2", "/", TestNode.ELASTIC_BASIC).status()).isEqualTo(200);
        }
    }
}
