package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's static files over real HTTP: types, caching, the redirect, and no name outside the known set. */
class ConsoleAssetsTest {

    private static final Set<String> KNOWN = Set.of("index.html", "app.js", "app.css");
    private static TestNode node;

    @BeforeContainer
    static void start() throws Exception {
        node = TestNode.start(Files.createTempDirectory("console-assets"), Map.of());
    }

    @AfterContainer
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Example
    void theBarePrefixRedirectsToThePage() throws Exception {
        TestNode.Response r = node.request("GET", "/_svctoken/console", null);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/_svctoken/console/");
    }

    @Example
    void thePageIsHtmlWithoutCredentials() throws Exception {
        TestNode.Response r = node.request("GET", "/_svctoken/console/", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        assertThat(r.body()).contains("<script type=\"module\" src=\"app.js\"></script>").doesNotContain("style=");
        assertThat(node.request("GET", "/_svctoken/console/index.html", null).body()).isEqualTo(r.body());
        assertThat(node.request("HEAD", "/_svctoken/console/", null).status()).isEqualTo(200);
    }

    @Example
    void scriptAndStyleAreRevalidatedByTheirEtag() throws Exception {
        for (String[] f : new String[][]{{"app.js", "text/javascript; charset=utf-8"}, {"app.css", "text/css; charset=utf-8"}}) {
            TestNode.Response r = node.request("GET", "/_svctoken/console/" + f[0], null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo(f[1]);
            assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
            String etag = r.header("ETag");
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            TestNode.Response again = node.request("GET", "/_svctoken/console/" + f[0], null, null, Map.of("If-None-Match", etag));
            assertThat(again.status()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(node.request("GET", "/_svctoken/console/" + f[0], null, null, Map.of("If-None-Match", "\"other\"")).status())
                    .isEqualTo(200);
        }
    }

    @Example
    void anUnknownFileIs404InElasticsearchsEnvelope() throws Exception {
        TestNode.Response r = node.request("GET", "/_svctoken/console/secret.txt", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("console file [secret.txt] not found");
        assertThat(r.json().at("/status").asInt()).isEqualTo(404);
    }

    @Example
    void aNodeWithTheConsoleDisabledServesNoFile() throws Exception {
        try (TestNode off = TestNode.start(Files.createTempDirectory("console-off"), Map.of("svctoken.console.enabled", "false"))) {
            for (String path : new String[]{"/_svctoken/console/", "/_svctoken/console/app.js"}) {
                TestNode.Response r = off.request("GET", path, TestNode.ELASTIC_BASIC);
                assertThat(r.status()).as(path).isEqualTo(400);
                assertThat(r.json().at("/error").asText()).isEqualTo("no handler found for uri [" + path + "] and method [GET]");
            }
        }
    }

    /** Any single path segment that is not one of the files (traversals included) is 404, never another resource, never a 5xx. */
    @Property(tries = 300)
    void noNameOutsideTheKnownSetIsServed(@ForAll("names") String name) throws Exception {
        String segment = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        TestNode.Response r = node.request("GET", "/_svctoken/console/" + segment, null);
        if (KNOWN.contains(name)) {
            assertThat(r.status()).isEqualTo(200);
        } else {
            assertThat(r.status()).as(name).isEqualTo(404);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        }
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> traversal = Arbitraries.of("..", "../", "../index.html", "..\\app.js", "./app.js", "app.js/..",
                "/etc/passwd", "../../../../etc/passwd", "..%2Fapp.js", "%2e%2e", "app.js%00", "app.js\u0000", "APP.JS",
                "index.html ", "~", "console", "../ConsoleAssetsEndpoints.class", "io/svctoken/server/console/app.js",
                "/io/svctoken/server/console/app.js", "app.js?x", "app.js#x");
        Arbitrary<String> known = Arbitraries.of(KNOWN);
        Arbitrary<String> any = Arbitraries.strings().ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        Arbitrary<String> composed = Arbitraries.of("../", "./", "/", "\\", "%2f", "..").list().ofMinSize(1).ofMaxSize(4)
                .flatMap(parts -> known.map(k -> String.join("", parts) + k));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, traversal), net.jqwik.api.Tuple.of(1, known),
                net.jqwik.api.Tuple.of(4, any), net.jqwik.api.Tuple.of(3, composed));
    }
}
