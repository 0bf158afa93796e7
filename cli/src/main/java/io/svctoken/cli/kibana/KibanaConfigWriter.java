package io.svctoken.cli.kibana;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.svctoken.cli.files.SecureFileWriter;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.server.tls.AutoConfiguredTls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes what Kibana's interactive setup writes after a successful enrollment (its config writer, read
 * for behaviour only): a CA file {@code ca_<epoch ms>.crt} and, in {@code kibana.yml}, the settings
 * {@code elasticsearch.hosts}, {@code elasticsearch.serviceAccountToken},
 * {@code elasticsearch.ssl.certificateAuthorities} and the default Fleet output
 * ({@code xpack.fleet.outputs}, pinned by the CA's SHA-256 fingerprint).
 *
 * <p>As Kibana does: when the existing file sets none of those keys (after flattening nested maps into
 * dotted keys) the section is appended and the rest of the file is kept byte for byte; when it sets any
 * of them, the whole old file is kept as a commented-out backup block and the merged settings (old
 * values, ours winning) are written after it, so the file never holds a key twice — YAML parsers,
 * Kibana's included, refuse duplicate keys. A file that does not parse is left untouched.
 * The file is replaced atomically and keeps its mode, owner and group; a new one gets mode 0660.
 */
final class KibanaConfigWriter {

    static final String SECTION_HEADER = "# This section was automatically generated during setup.";

    /** What was written, and which keys of the old file were overridden (empty when appended). */
    record Written(Path config, Path ca, List<String> overriddenKeys) {
        Written {
            overriddenKeys = List.copyOf(overriddenKeys);
        }
    }

    /** The existing {@code kibana.yml} cannot be read or parsed; nothing was written. */
    static final class UnusableConfigException extends Exception {
        UnusableConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    private final Clock clock;

    KibanaConfigWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param configFile {@code kibana.yml} (may not exist yet)
     * @param dataDir    where the CA file goes
     * @param host       the Elasticsearch URL enrolled with, e.g. {@code https://10.0.0.1:9200}
     * @param caDer      the HTTP CA certificate (DER) from the enroll answer
     */
    Written write(Path configFile, Path dataDir, String host, String serviceToken, byte[] caDer)
            throws UnusableConfigException, IOException {
        String raw = readExisting(configFile);
        Map<String, Object> existing = parseFlattened(configFile, raw);

        long now = clock.millis();
        Path caFile = dataDir.toAbsolutePath().resolve("ca_" + now + ".crt");
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("elasticsearch.hosts", List.of(host));
        ours.put("elasticsearch.serviceAccountToken", serviceToken);
        ours.put("elasticsearch.ssl.certificateAuthorities", List.of(caFile.toString()));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("id", "fleet-default-output");
        output.put("name", "default");
        output.put("is_default", true);
        output.put("is_default_monitoring", true);
        output.put("type", "elasticsearch");
        output.put("hosts", List.of(host));
        output.put("ca_trusted_fingerprint", EnrollmentToken.fingerprint(caDer));
        ours.put("xpack.fleet.outputs", List.of(output));

        List<String> overridden = new ArrayList<>();
        for (String key : ours.keySet()) {
            if (existing.containsKey(key)) {
                overridden.add(key);
            }
        }
        String content;
        if (overridden.isEmpty()) {
            content = raw + "\n\n" + SECTION_HEADER + "\n" + FlowYaml.dump(ours) + "\n";
        } else {
            Map<String, Object> merged = new LinkedHashMap<>(existing);
            merged.putAll(ours);
            content = commentedBackup(raw, Instant.ofEpochMilli(now)) + "\n\n" + SECTION_HEADER + "\n" + FlowYaml.dump(merged) + "\n";
        }

        Files.createDirectories(dataDir);
        try {
            SecureFileWriter.write(caFile, lines(AutoConfiguredTls.pemCertificate(caDer)));
            SecureFileWriter.write(configFile, lines(content));
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage() + ": " + e.getCause(), e.getCause());
        }
        return new Written(configFile.toAbsolutePath(), caFile, overridden);
    }

    /**
     * What Kibana checks before it enrolls: the existing file parses, and the file and the CA's directory
     * can be written. Run before enrolling, so that a bad file does not cost a service token.
     */
    void check(Path configFile, Path dataDir) throws UnusableConfigException {
        parseFlattened(configFile, readExisting(configFile));
        Path dir = configFile.toAbsolutePath().getParent();
        if (Files.exists(configFile) ? !Files.isWritable(configFile) : !writableOrCreatable(dir)) {
            throw new UnusableConfigException("Kibana configuration file [" + configFile.toAbsolutePath() + "] is not writable", null);
        }
        if (!writableOrCreatable(dataDir.toAbsolutePath())) {
            throw new UnusableConfigException("Directory [" + dataDir.toAbsolutePath() + "] for the CA certificate is not writable", null);
        }
    }

    private static boolean writableOrCreatable(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d)) {
                return Files.isDirectory(d) && Files.isWritable(d);
            }
        }
        return false;
    }

    private static String readExisting(Path configFile) throws UnusableConfigException {
        if (!Files.exists(configFile)) {
            return "";
        }
        try {
            return Files.readString(configFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnusableConfigException("Failed to read configuration file [" + configFile.toAbsolutePath() + "]: " + e, e);
        }
    }

    /** Kibana compares dotted keys: {@code elasticsearch: {hosts: ...}} sets {@code elasticsearch.hosts}. */
    static Map<String, Object> parseFlattened(Path configFile, String raw) throws UnusableConfigException {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (raw.isBlank()) {
            return flat;
        }
        JsonNode root;
        try {
            root = YAML.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new UnusableConfigException("Failed to parse configuration file [" + configFile.toAbsolutePath() + "]: "
                    + e.getOriginalMessage().strip(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new UnusableConfigException("Failed to parse configuration file [" + configFile.toAbsolutePath()
                    + "]: the top level is not a mapping of settings", null);
        }
        flatten("", root, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject() && e.getValue().size() > 0) {
                flatten(key + ".", e.getValue(), into);
            } else {
                into.put(key, e.getValue());
            }
        }
    }

    /** Every line that is neither blank nor a comment gets a leading {@code #}, between backup markers. */
    static String commentedBackup(String raw, Instant at) {
        StringBuilder sb = new StringBuilder("### >>>>>>> BACKUP START: Kibana interactive setup (").append(at).append(")\n");
        for (String line : raw.split("\n", -1)) {
            String t = line.trim();
            sb.append(t.isEmpty() || t.startsWith("#") ? "" : "#").append(line).append('\n');
        }
        return sb.append("### >>>>>>> BACKUP END: Kibana interactive setup (").append(at).append(')').toString();
    }

    /** {@link SecureFileWriter} ends every line itself, so the final newline is not a line of its own. */
    private static List<String> lines(String content) {
        String body = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
        return List.of(body.split("\n", -1));
    }

    /**
     * The YAML Kibana's writer emits ({@code flowLevel: 1}): one {@code key: value} line per setting,
     * values that are lists or maps in flow style. Scalars are plain only when they cannot be read back
     * as anything else; otherwise single-quoted, or double-quoted (JSON escapes) when they hold control
     * characters.
     */
    static final class FlowYaml {
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+][A-Za-z0-9_./+@-]*");
        /** What YAML 1.1 or 1.2 readers resolve to booleans, null, numbers or timestamps (a fingerprint stays plain). */
        private static final Pattern NOT_A_STRING = Pattern.compile("(?i)"
                + "y|n|yes|no|on|off|true|false|null|~|=|<<"
                + "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*(\\.[0-9_]*)?(e[-+]?[0-9]+)?"
                + "|[-+]?\\.[0-9][0-9_]*(e[-+]?[0-9]+)?|[-+]?\\.(inf|nan)"
                + "|0b[01_]+|0o[0-7_]+|0x[0-9a-f_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");

        private FlowYaml() {
        }

        static String dump(Map<String, ?> settings) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, ?> e : settings.entrySet()) {
                scalar(sb, e.getKey());
                sb.append(": ");
                value(sb, e.getValue());
                sb.append('\n');
            }
            return sb.toString();
        }

        private static void value(StringBuilder sb, Object v) {
            if (v instanceof JsonNode n) {
                node(sb, n);
            } else if (v instanceof Map<?, ?> m) {
                sb.append('{');
                String sep = "";
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    sb.append(sep);
                    scalar(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    value(sb, e.getValue());
                    sep = ", ";
                }
                sb.append('}');
            } else if (v instanceof List<?> l) {
                sb.append('[');
                String sep = "";
                for (Object o : l) {
                    sb.append(sep);
                    value(sb, o);
                    sep = ", ";
                }
                sb.append(']');
            } else if (v instanceof Boolean || v instanceof Number) {
                sb.append(v);
            } else if (v == null) {
                sb.append("null");
            } else {
                scalar(sb, v.toString());
            }
        }

        private static void node(StringBuilder sb, JsonNode n) {
            if (n.isObject()) {
                Map<String, Object> m = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
                value(sb, m);
            } else if (n.isArray()) {
                List<Object> l = new ArrayList<>();
                n.forEach(l::add);
                value(sb, l);
            } else if (n.isNull() || n.isMissingNode()) {
                sb.append("null");
            } else if (n.isBoolean() || n.isNumber()) {
                sb.append(n.asText());
            } else {
                scalar(sb, n.asText());
            }
        }

        static void scalar(StringBuilder sb, String s) {
            if (PLAIN.matcher(s).matches() && !NOT_A_STRING.matcher(s).matches()) {
                sb.append(s);
            } else if (s.chars().anyMatch(FlowYaml::needsEscape)) {
                sb.append('"');
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') {
                        sb.append('\\').append(c);
                    } else if (needsEscape(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
                sb.append('"');
            } else {
                sb.append('\'').append(s.replace("'", "''")).append('\'');
            }
        }

        /** Characters outside YAML's printable set, or line breaks to it, which single quotes would not keep. */
        private static boolean needsEscape(int c) {
            return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff || c >= 0xfffe
                    || Character.isSurrogate((char) c);
        }
    }
}
