package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API that reads a JSON body, fed arbitrary bodies over real HTTP: the answer is a success or a
 * 4xx in Elasticsearch's envelope with {@code X-Elastic-Product} — never a 5xx — and the node keeps
 * serving. Bodies are built from the APIs' own field names, so that the checks behind the first get
 * reached too.
 */
class BodyFuzzProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("password", "password_hash", "roles", "full_name", "email", "metadata",
            "enabled", "username", "name", "expiration", "role_descriptors", "cluster", "indices", "names", "privileges", "run_as",
            "ids", "id", "realm_name", "owner", "applications", "global", "description", "x", "_reserved");
    /** Each endpoint with a body it accepts: mutations of it reach the checks behind the first one. */
    private static final Map<String, String> VALID = Map.of(
            "PUT /_security/user/fuzz_user",
            "{\"password\":\"fuzz-pass\",\"roles\":[\"viewer\"],\"full_name\":\"F\",\"email\":\"f@example.com\",\"metadata\":{\"a\":1},\"enabled\":true}",
            "POST /_security/user/fuzz_user/_password", "{\"password\":\"new-fuzz-pass\"}",
            "PUT /_security/role/fuzz_role",
            "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"a-*\"],\"privileges\":[\"read\"]}],\"run_as\":[],\"metadata\":{},\"description\":\"d\"}",
            "POST /_security/api_key",
            "{\"name\":\"k\",\"expiration\":\"1d\",\"role_descriptors\":{\"r\":{\"cluster\":[\"monitor\"]}},\"metadata\":{\"m\":1}}",
            "DELETE /_security/api_key", "{\"name\":\"k\"}");

    static Path home;
    static TestNode node;

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("svctoken-fuzz");
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/user/fuzz_user", VALID.get("PUT /_security/user/fuzz_user")).status()).isEqualTo(200);
    }

    @AfterContainer
    static void stop() {
        node.close();
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temporary directory: best effort
        }
    }

    @Property(tries = 1000)
    void anyBodyGetsASuccessOrAnElasticsearch4xx(@ForAll("requests") net.jqwik.api.Tuple.Tuple2<String, String> request) throws Exception {
        String endpoint = request.get1();
        String body = request.get2();
        String[] mp = endpoint.split(" ", 2);
        TestNode.Response r = node.request(mp[0], mp[1], TestNode.ELASTIC_BASIC, body, Map.of());
        assertThat(r.status()).as("%s %s -> %s", endpoint, body, r.body()).isLessThan(500);
        net.jqwik.api.statistics.Statistics.collect(r.status() < 300 ? "2xx" : "4xx");
        // both outcomes must be reached, or the bodies only ever test the first check
        net.jqwik.api.statistics.Statistics.coverage(c -> {
            c.check("2xx").percentage(p -> p > 8);
            c.check("4xx").percentage(p -> p > 50);
        });
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        if (r.status() >= 400) {
            JsonNode error = r.json().get("error");
            assertThat(error).as(r.body()).isNotNull();
            if (error.isObject()) {
                assertThat(error.get("type").asText()).isNotBlank();
                assertThat(error.get("reason").asText()).isNotBlank();
            }
        }
    }

    /** Any Authorization value a client can send: 200 or 401 (with its challenges), never 5xx. */
    @Property(tries = 1000)
    void anyAuthorizationHeaderGets200Or401(@ForAll("authorizations") String authorization) throws Exception {
        TestNode.Response r = node.request("GET", "/_security/_authenticate", authorization);
        assertThat(r.status()).as("[%s] -> %s", authorization, r.body()).isIn(200, 401);
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        if (r.status() == 401) {
            assertThat(r.headers().allValues("WWW-Authenticate")).isNotEmpty();
            assertThat(r.body()).doesNotContain(authorization.length() > 12 ? authorization.substring(7) : "\u0000never");
        }
    }

    @Provide
    Arbitrary<String> authorizations() {
        Arbitrary<String> scheme = Arbitraries.of("Bearer ", "Basic ", "ApiKey ", "bearer ", "BASIC ", "", "Bearer  ", "Negotiate ");
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
                .ofMaxLength(120);
        Arbitrary<String> encoded = Arbitraries.strings().withChars("\u0000\u0001elastic/fleet-server:kibana-_.tok3n\u00e9")
                .ofMaxLength(60)
                .map(t -> java.util.Base64.getEncoder().withoutPadding().encodeToString(("\u0000\u0001\u0000\u0001" + t)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80);
        return net.jqwik.api.Combinators.combine(scheme, Arbitraries.oneOf(b64, encoded, printable)).as((a, b) -> (a + b).strip())
                .filter(v -> !v.isEmpty());
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> requests() {
        return Arbitraries.of(List.copyOf(VALID.keySet())).flatMap(e -> bodies(VALID.get(e)).map(b -> Tuple.of(e, b)));
    }

    /** The valid body, one field of it replaced or added, a random body, or text that is hardly JSON. */
    private static Arbitrary<String> bodies(String valid) {
        ObjectNode base;
        try {
            base = (ObjectNode) JSON.readTree(valid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String> own = new java.util.ArrayList<>();
        base.fieldNames().forEachRemaining(own::add);
        Arbitrary<String> field = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(own)), Tuple.of(1, Arbitraries.of(FIELDS)));
        Arbitrary<String> mutated = net.jqwik.api.Combinators.combine(field, value(2), Arbitraries.of(true, false)).as((f, v, remove) -> {
            ObjectNode copy = base.deepCopy();
            if (remove && v.isNull()) {
                copy.remove(f);
            } else {
                copy.set(f, v);
            }
            return copy.toString();
        });
        Arbitrary<String> structured = value(3).map(JsonNode::toString);
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(valid)),
                Tuple.of(10, mutated),
                Tuple.of(3, structured),
                Tuple.of(1, Arbitraries.strings().withChars("{}[]\":,tfnul0123 -.eE\\").ofMaxLength(30)),
                Tuple.of(1, Arbitraries.of("", "{", "null", "[]")));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.of(FIELDS).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of("abcdef-pass", "all", "superuser", "1d", "-5m", "30m", "{PBKDF2}x", "", "*").map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.strings().ofMaxLength(6).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.integers().between(-1, 2).map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.just(F.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = value(depth - 1).list().ofMaxSize(3).map(items -> {
            ArrayNode a = F.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of(FIELDS), value(depth - 1)).ofMaxSize(4).map(m -> {
            ObjectNode o = F.objectNode();
            m.forEach(o::set);
            return o;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(2, array), Tuple.of(5, object));
    }
}
