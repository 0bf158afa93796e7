package io.svctoken.server;

import io.svctoken.core.token.TokenId;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyAndRestartTest {

    @TempDir
    Path home;

    @Test
    void hundredConcurrentCreatesOfOneNameYieldExactlyOneToken() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(100);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Callable<Response> c = () -> {
                    go.await();
                    return node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/race");
                };
                results.add(pool.submit(c));
            }
            go.countDown();
            int ok = 0;
            int conflicts = 0;
            String winner = null;
            for (Future<Response> f : results) {
                Response r = f.get();
                if (r.status() == 200) {
                    ok++;
                    winner = r.json().at("/token/value").asText();
                } else {
                    assertThat(r.status()).as(r.body()).isEqualTo(409);
                    conflicts++;
                }
            }
            pool.shutdown();
            assertThat(ok).isEqualTo(1);
            assertThat(conflicts).isEqualTo(99);
            assertThat(node.request("GET", "/_security/_authenticate", bearer(winner)).status()).isEqualTo(200);
            assertThat(node.asElastic("GET", "/_security/service/elastic/fleet-server/credential").json().get("count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void tokensAndTheElasticPasswordSurviveARestart() throws Exception {
        String value;
        String clusterUuid;
        try (TestNode node = TestNode.start(home, Map.of())) {
            value = node.asElastic("POST", "/_security/service/elastic/kibana/credential/token/persisted").json().at("/token/value").asText();
            clusterUuid = node.asElastic("GET", "/").json().get("cluster_uuid").asText();
        }
        // A different ELASTIC_PASSWORD on a later start does not change the stored one (as in Elasticsearch).
        try (TestNode node = TestNode.start(home, Map.of(), Map.of("ELASTIC_PASSWORD", "something-else"))) {
            Response me = node.request("GET", "/_security/_authenticate", bearer(value));
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("username").asText()).isEqualTo("elastic/kibana");
            assertThat(node.asElastic("GET", "/").json().get("cluster_uuid").asText()).isEqualTo(clusterUuid);
            assertThat(node.console).doesNotContain("Password for the elastic user");
        }
    }

    @Test
    void aGeneratedPasswordIsPrintedOnceAndWorks() throws Exception {
        String password;
        try (TestNode node = TestNode.start(home, Map.of(), Map.of())) {
            assertThat(node.console).contains("Password for the elastic user");
            password = node.console.lines().dropWhile(l -> !l.contains("Password for the elastic user")).skip(1).findFirst().orElseThrow().trim();
            assertThat(password).matches("[A-Za-z0-9*\\-_=+]{20}");
            String basic = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + password).getBytes());
            assertThat(node.request("GET", "/_security/_authenticate", basic).status()).isEqualTo(200);
        }
        try (TestNode node = TestNode.start(home, Map.of(), Map.of())) {
            assertThat(node.console).doesNotContain("Password for the elastic user");
            String basic = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + password).getBytes());
            assertThat(node.request("GET", "/_security/_authenticate", basic).status()).isEqualTo(200);
        }
    }

    @Test
    void defaultHashingIsElasticsearchsPbkdf2Stretch() throws Exception {
        // No cheap-hash override here: what lands in the store is what Elasticsearch writes.
        try (TestNode node = TestNode.start(home, Map.of("xpack.security.authc.service_token_hashing.algorithm", "pbkdf2_stretch"))) {
            String value = node.asElastic("POST", "/_security/service/elastic/kibana/credential/token/def").json().at("/token/value").asText();
            assertThat(node.request("GET", "/_security/_authenticate", bearer(value)).status()).isEqualTo(200);
        }
        try (SqliteStore store = SqliteStore.open(home.resolve("data"))) {
            String hash = store.find(TokenId.of("elastic/kibana", "def")).orElseThrow().passwordHash();
            assertThat(hash).matches("\\{PBKDF2_STRETCH}10000\\$[A-Za-z0-9+/]{43}=\\$[A-Za-z0-9+/]{43}=");
        }
    }
}
