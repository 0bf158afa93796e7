package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code svctoken.service_token.max_lifetime}: svctoken's endpoints give a token without an expiry the longest lifetime
 * and refuse a longer one; Elasticsearch's create endpoint is untouched (its tokens never expire, its answer has no
 * expiration field).
 */
class TokenMaxLifetimeTest {

    private static final String SVC = "/_svctoken/service/elastic/fleet-server/credential";
    private static final String ES = "/_security/service/elastic/fleet-server/credential";
    private static final long DAY = 86_400_000L;

    @TempDir
    Path home;

    @Test
    void newTokensOfSvctokensEndpointsAreCappedAndElasticsearchsAreNot() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.service_token.max_lifetime", "30d"))) {
            long before = System.currentTimeMillis();
            Response capped = node.asElastic("POST", SVC + "/token/capped");
            assertThat(capped.status()).as(capped.body()).isEqualTo(200);
            assertThat(capped.json().at("/token/expiration").asLong()).isBetween(before + 30 * DAY, System.currentTimeMillis() + 30 * DAY);

            Response shorter = node.asElastic("POST", SVC + "/token/shorter", "{\"expiration\":\"7d\"}");
            assertThat(shorter.status()).as(shorter.body()).isEqualTo(200);
            assertThat(shorter.json().at("/token/expiration").asLong()).isLessThan(before + 8 * DAY);

            Response longer = node.asElastic("POST", SVC + "/token/longer", "{\"expiration\":\"90d\"}");
            assertThat(longer.status()).isEqualTo(400);
            assertThat(longer.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
            assertThat(longer.json().at("/error/reason").asText())
                    .isEqualTo("the expiration of a service token must be within [svctoken.service_token.max_lifetime] (2592000000ms) from now");

            Response es = node.asElastic("POST", ES + "/token/es-made");
            assertThat(es.status()).isEqualTo(200);
            assertThat(es.json().get("token").toString()).doesNotContain("expiration");
            JsonNode esMade = node.asElastic("GET", SVC + "/token/es-made").json();
            assertThat(esMade.get("expiration").isNull()).as(esMade.toString()).isTrue();
        }
    }
}
