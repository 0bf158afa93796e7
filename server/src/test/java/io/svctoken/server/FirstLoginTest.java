package io.svctoken.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first start remembers the elastic password it just stored as a login that worked, so that the first request as
 * elastic does not pay for bcrypt again; a restart, which never saw the password, verifies it as any login.
 */
class FirstLoginTest {

    @TempDir
    Path home;

    private static double successes(TestNode node, String cache) throws Exception {
        String scrape = node.asElastic("GET", "/_svctoken/metrics").body();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("svctoken_authentication_duration_seconds_count{") && line.contains("cache=\"" + cache + "\"")
                    && line.contains("result=\"success\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void theFirstStartsFirstRequestAsElasticIsAnsweredFromTheCache() throws Exception {
        Map<String, String> bcrypt = Map.of("xpack.security.authc.password_hashing.algorithm", "bcrypt");
        try (TestNode node = TestNode.start(home, bcrypt)) {
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
            // each scrape is a login as elastic too, also from the cache
            assertThat(successes(node, "cold")).isZero();
            assertThat(successes(node, "cached")).isGreaterThanOrEqualTo(2);
            // a wrong password is still refused: the entry holds a salted hash of the right one
            assertThat(node.request("GET", "/", TestNode.basic("elastic", "not-the-password")).status()).isEqualTo(401);
        }
        try (TestNode node = TestNode.start(home, bcrypt)) { // a restart: the password is verified against the store once
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
            assertThat(successes(node, "cold")).isEqualTo(1);
        }
    }
}
