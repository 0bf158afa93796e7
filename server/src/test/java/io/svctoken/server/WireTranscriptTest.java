package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire, byte for byte: every request of {@code wire/requests.txt} is sent over a raw socket to a fresh node,
 * and the status line, every header in order and the body are compared with {@code wire/transcript.txt}. Only
 * what is random by nature is masked (token values, API-key ids and secrets, epoch milliseconds, the cluster
 * uuid). A refactoring must leave this transcript unchanged; a deliberate wire change regenerates it with
 * {@code -Dwire.update=true} and shows up in review as a diff of the transcript.
 */
class WireTranscriptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GOLDEN = Path.of("src/test/resources/wire/transcript.txt");

    @TempDir
    Path home;

    private record Exchange(String method, String path, List<String> headers, String body) {
    }

    @Test
    void theWireIsTheRecordedOne() throws Exception {
        List<Exchange> exchanges = parse(new String(getClass().getResourceAsStream("/wire/requests.txt").readAllBytes(),
                StandardCharsets.UTF_8));
        assertThat(exchanges).hasSizeGreaterThan(80);
        StringBuilder transcript = new StringBuilder();
        Map<String, String> tokens = new HashMap<>();
        Map<String, String> apiKeys = new HashMap<>();
        try (TestNode node = TestNode.start(home, Map.of("cluster.name", "wire-cluster", "node.name", "wire-node"))) {
            int port = node.node().address().getPort();
            for (Exchange e : exchanges) {
                String response = send(port, e, tokens, apiKeys);
                remember(e, response, tokens, apiKeys);
                transcript.append(">>> ").append(e.method()).append(' ').append(e.path()).append('\n');
                e.headers().forEach(h -> transcript.append(">>> ").append(h).append('\n'));
                transcript.append(mask(response)).append("\n\n");
            }
        }
        String actual = transcript.toString();
        if (Boolean.getBoolean("wire.update") || !Files.exists(GOLDEN)) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual);
            assertThat(Boolean.getBoolean("wire.update")).as("no recorded transcript yet: written to " + GOLDEN.toAbsolutePath()
                    + "; review it and commit it").isTrue();
        }
        String expected = Files.readString(GOLDEN);
        if (!expected.equals(actual)) {
            Path got = Path.of("target/wire-transcript-actual.txt");
            Files.writeString(got, actual);
            assertThat(actual).as("the wire changed; the whole transcript is in " + got.toAbsolutePath()).isEqualTo(expected);
        }
    }

    private static List<Exchange> parse(String text) {
        List<Exchange> out = new ArrayList<>();
        for (String block : text.split("\n---\n")) {
            List<String> lines = new ArrayList<>(block.lines().filter(l -> !l.startsWith("#")).toList());
            while (!lines.isEmpty() && lines.get(0).isBlank()) {
                lines.remove(0);
            }
            if (lines.isEmpty()) {
                continue;
            }
            String[] first = lines.remove(0).split(" ", 2);
            List<String> headers = new ArrayList<>();
            while (!lines.isEmpty() && !lines.get(0).isEmpty()) {
                headers.add(lines.remove(0));
            }
            String body = lines.isEmpty() ? null : String.join("\n", lines.subList(1, lines.size()));
            out.add(new Exchange(first[0], first[1], headers, body));
        }
        return out;
    }

    private static String send(int port, Exchange e, Map<String, String> tokens, Map<String, String> apiKeys) throws IOException {
        StringBuilder head = new StringBuilder(e.method()).append(' ').append(e.path()).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1\r\n");
        for (String h : e.headers()) {
            String[] p = h.split(" ");
            switch (p[0]) {
                case "@elastic" -> head.append("Authorization: ").append(TestNode.ELASTIC_BASIC).append("\r\n");
                case "@user" -> head.append("Authorization: ").append(TestNode.basic(p[1], p[2])).append("\r\n");
                case "@bearer" -> head.append("Authorization: Bearer ").append(tokens.getOrDefault(p[1], "missing")).append("\r\n");
                case "@apikey" -> head.append("Authorization: ApiKey ").append(apiKeys.getOrDefault(p[1], "missing")).append("\r\n");
                default -> head.append(h).append("\r\n");
            }
        }
        byte[] body = e.body() == null ? new byte[0] : e.body().getBytes(StandardCharsets.UTF_8);
        if (e.body() != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
        }
    }

    /** Keeps the service tokens and API keys the transcript creates, to authenticate with them later. */
    private static void remember(Exchange e, String response, Map<String, String> tokens, Map<String, String> apiKeys) throws IOException {
        int split = response.indexOf("\n\n");
        if (!response.startsWith("HTTP/1.1 200") || split < 0) {
            return;
        }
        String body = response.substring(split + 2);
        if (!body.startsWith("{")) {
            return;
        }
        JsonNode json = JSON.readTree(body);
        if (json.at("/token/value").isTextual()) {
            tokens.put(json.at("/token/name").asText(), json.at("/token/value").asText());
        }
        if (json.path("encoded").isTextual()) {
            apiKeys.put(json.path("name").asText(), json.path("encoded").asText());
        }
    }

    /** Random by nature; a random id mixes upper and lower case, which no JSON key or fixed text here does. */
    private static final String MIXED = "(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])";
    private static final List<Map.Entry<Pattern, String>> MASKS = List.of(
            Map.entry(Pattern.compile("\"(value|api_key|encoded)\"(\\s*:\\s*)\"[^\"]+\""), "\"$1\"$2\"<$1>\""),
            Map.entry(Pattern.compile("\"" + MIXED + "[A-Za-z0-9_-]{22}\""), "\"<uuid>\""),
            Map.entry(Pattern.compile("(\"|token_|\\[)" + MIXED + "[A-Za-z0-9_-]{20}(\"|\\])"), "$1<id>$2"),
            Map.entry(Pattern.compile("\\b\\d{13}\\b"), "<millis>"));

    private static String mask(String response) {
        String out = response;
        for (Map.Entry<Pattern, String> m : MASKS) {
            out = m.getKey().matcher(out).replaceAll(m.getValue());
        }
        return out;
    }
}
