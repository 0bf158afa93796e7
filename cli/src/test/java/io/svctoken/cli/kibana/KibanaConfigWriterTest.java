package io.svctoken.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.svctoken.core.enroll.EnrollmentToken;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code kibana-setup} does to {@code kibana.yml}, on real files, as Kibana's setup does it. */
class KibanaConfigWriterTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final long NOW = 1_700_000_000_123L;
    private static final String HOST = "https://10.0.0.7:9200";
    private static final String TOKEN = "AAEAAWVsYXN0aWMva2liYW5hL2Vucm9sbC1wcm9jZXNzLXRva2VuLTE3MDA6c2VjcmV0";

    @TempDir
    Path dir;

    private final byte[] ca = randomDer();
    private final KibanaConfigWriter writer = new KibanaConfigWriter(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private static byte[] randomDer() {
        byte[] b = new byte[700];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private String ourSection(Path caFile) {
        return KibanaConfigWriter.SECTION_HEADER + "\n"
                + "elasticsearch.hosts: ['" + HOST + "']\n"
                + "elasticsearch.serviceAccountToken: " + TOKEN + "\n"
                + "elasticsearch.ssl.certificateAuthorities: [" + caFile + "]\n"
                + "xpack.fleet.outputs: [{id: fleet-default-output, name: default, is_default: true, is_default_monitoring: true,"
                + " type: elasticsearch, hosts: ['" + HOST + "'], ca_trusted_fingerprint: " + EnrollmentToken.fingerprint(ca) + "}]\n";
    }

    @Test
    void aNewFileGetsTheSectionAndTheCaFile() throws Exception {
        Path yml = dir.resolve("kibana.yml");
        KibanaConfigWriter.Written w = writer.write(yml, dir.resolve("data"), HOST, TOKEN, ca);

        assertThat(w.ca()).isEqualTo(dir.resolve("data/ca_" + NOW + ".crt").toAbsolutePath());
        assertThat(w.overriddenKeys()).isEmpty();
        assertThat(Files.readString(yml)).isEqualTo("\n\n" + ourSection(w.ca()) + "\n");
        assertThat(Files.getPosixFilePermissions(yml)).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));

        JsonNode parsed = YAML.readTree(yml.toFile());
        assertThat(parsed.get("elasticsearch.hosts").get(0).asText()).isEqualTo(HOST);
        assertThat(parsed.get("elasticsearch.serviceAccountToken").asText()).isEqualTo(TOKEN);
        JsonNode output = parsed.get("xpack.fleet.outputs").get(0);
        assertThat(output.get("is_default").isBoolean()).isTrue();
        assertThat(output.get("ca_trusted_fingerprint").asText()).isEqualTo(EnrollmentToken.fingerprint(ca)).hasSize(64);

        String pem = Files.readString(w.ca());
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
        String body = pem.replace("-----BEGIN CERTIFICATE-----\n", "").replace("-----END CERTIFICATE-----\n", "");
        assertThat(body.lines()).allMatch(l -> l.length() <= 64);
        assertThat(Base64.getMimeDecoder().decode(body)).isEqualTo(ca);
    }

    @Test
    void aFileWithoutOurKeysIsKeptByteForByteAndTheSectionAppended() throws Exception {
        Path yml = dir.resolve("kibana.yml");
        String old = "# Kibana settings\nserver.host: \"0.0.0.0\"\nserver:\n  port: 5601\nlogging.root.level: info";
        Files.writeString(yml, old);
        Files.setPosixFilePermissions(yml, PosixFilePermissions.fromString("rw-r-----"));

        KibanaConfigWriter.Written w = writer.write(yml, dir, HOST, TOKEN, ca);

        assertThat(w.overriddenKeys()).isEmpty();
        assertThat(Files.readString(yml)).isEqualTo(old + "\n\n" + ourSection(w.ca()) + "\n");
        assertThat(Files.getPosixFilePermissions(yml)).as("an existing file keeps its mode")
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        JsonNode parsed = YAML.readTree(yml.toFile());
        assertThat(parsed.at("/server/port").asInt()).isEqualTo(5601);
        assertThat(parsed.get("elasticsearch.serviceAccountToken").asText()).isEqualTo(TOKEN);
    }

    @Test
    void conflictingKeysNestedOrDottedMakeABackupBlockAndOneMergedSection() throws Exception {
        Path yml = dir.resolve("kibana.yml");
        String old = "server.port: 5601\n"
                + "# where Elasticsearch is\n"
                + "elasticsearch:\n"
                + "  hosts: [\"http://old:9200\"]\n"
                + "  username: kibana_system\n"
                + "\n"
                + "elasticsearch.ssl.certificateAuthorities: [/etc/old-ca.crt]\n";
        Files.writeString(yml, old);

        KibanaConfigWriter.Written w = writer.write(yml, dir, HOST, TOKEN, ca);

        assertThat(w.overriddenKeys()).containsExactly("elasticsearch.hosts", "elasticsearch.ssl.certificateAuthorities");
        String at = Instant.ofEpochMilli(NOW).toString();
        String expectedBackup = "### >>>>>>> BACKUP START: Kibana interactive setup (" + at + ")\n"
                + "#server.port: 5601\n"
                + "# where Elasticsearch is\n"
                + "#elasticsearch:\n"
                + "#  hosts: [\"http://old:9200\"]\n"
                + "#  username: kibana_system\n"
                + "\n"
                + "#elasticsearch.ssl.certificateAuthorities: [/etc/old-ca.crt]\n"
                + "\n"
                + "### >>>>>>> BACKUP END: Kibana interactive setup (" + at + ")";
        String merged = "server.port: 5601\n"
                + "elasticsearch.hosts: ['" + HOST + "']\n"
                + "elasticsearch.username: kibana_system\n"
                + "elasticsearch.ssl.certificateAuthorities: [" + w.ca() + "]\n"
                + "elasticsearch.serviceAccountToken: " + TOKEN + "\n"
                + "xpack.fleet.outputs: [{id: fleet-default-output, name: default, is_default: true, is_default_monitoring: true,"
                + " type: elasticsearch, hosts: ['" + HOST + "'], ca_trusted_fingerprint: " + EnrollmentToken.fingerprint(ca) + "}]\n";
        assertThat(Files.readString(yml)).isEqualTo(expectedBackup + "\n\n" + KibanaConfigWriter.SECTION_HEADER + "\n" + merged + "\n");
        JsonNode parsed = YAML.readTree(yml.toFile());
        assertThat(parsed.get("server.port").asInt()).isEqualTo(5601);
        assertThat(parsed.get("elasticsearch.username").asText()).isEqualTo("kibana_system");
    }

    @Test
    void runningSetupAgainNeverLeavesADuplicateKey() throws Exception {
        Path yml = dir.resolve("kibana.yml");
        Files.writeString(yml, "server.name: kb1\n");
        writer.write(yml, dir, HOST, TOKEN, ca);
        KibanaConfigWriter second = new KibanaConfigWriter(Clock.fixed(Instant.ofEpochMilli(NOW + 1000), ZoneOffset.UTC));
        KibanaConfigWriter.Written w = second.write(yml, dir, "https://10.0.0.8:9200", TOKEN + "x", ca);

        assertThat(w.overriddenKeys()).containsExactly("elasticsearch.hosts", "elasticsearch.serviceAccountToken",
                "elasticsearch.ssl.certificateAuthorities", "xpack.fleet.outputs");
        // a strict reader (duplicates are an error, as in Kibana's) reads it, and the second run won
        Map<String, Object> flat = KibanaConfigWriter.parseFlattened(yml, Files.readString(yml));
        assertThat(((JsonNode) flat.get("elasticsearch.serviceAccountToken")).asText()).isEqualTo(TOKEN + "x");
        assertThat(((JsonNode) flat.get("elasticsearch.hosts")).get(0).asText()).isEqualTo("https://10.0.0.8:9200");
        assertThat(((JsonNode) flat.get("server.name")).asText()).isEqualTo("kb1");
        assertThat(Files.readString(yml).lines().filter(l -> l.startsWith("elasticsearch.serviceAccountToken:"))).hasSize(1);
    }

    @Test
    void anUnparsableFileIsLeftUntouchedAndNoCaIsWritten() throws Exception {
        for (String bad : List.of("server.port: 5601\nserver.port: 5602\n", "elasticsearch.hosts: [unclosed\n", "- a list\n- not settings\n")) {
            Path yml = dir.resolve("kibana.yml");
            Files.writeString(yml, bad);
            assertThatThrownBy(() -> writer.write(yml, dir.resolve("data"), HOST, TOKEN, ca))
                    .isInstanceOf(KibanaConfigWriter.UnusableConfigException.class)
                    .hasMessageStartingWith("Failed to parse configuration file [" + yml.toAbsolutePath() + "]: ")
                    .hasMessageNotContaining(TOKEN);
            assertThat(Files.readString(yml)).isEqualTo(bad);
            assertThat(dir.resolve("data")).doesNotExist();
        }
    }

    @Test
    void scalarsArePlainOnlyWhenTheyCannotBeReadAsSomethingElse() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "plain/path-1.crt");
        m.put("b", "true");
        m.put("c", "5601");
        m.put("d", "it's: here");
        m.put("e", "line\nbreak");
        m.put("f", "");
        m.put("g", List.of("x, y", "[z]"));
        assertThat(KibanaConfigWriter.FlowYaml.dump(m)).isEqualTo("a: plain/path-1.crt\nb: 'true'\nc: '5601'\nd: 'it''s: here'\n"
                + "e: \"line\\u000abreak\"\nf: ''\ng: ['x, y', '[z]']\n");
    }

    @Test
    void aFingerprintThatOnlyStartsLikeABinaryOrOctalNumberStaysPlain() {
        // Kibana's js-yaml quotes 0b/0o/0x only when every digit after the prefix is one of that base (a CA
        // fingerprint such as 0baf89... is a string to every reader); a hexadecimal 0x1f is a number and is quoted
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "0baf890ba235c3534b70e5221469e0ba797e0c48d635a952efa3a1c2a0997079");
        m.put("b", "0o8f");
        m.put("c", "0b0101");
        m.put("d", "0o17");
        m.put("e", "0x1f");
        assertThat(KibanaConfigWriter.FlowYaml.dump(m)).isEqualTo(
                "a: 0baf890ba235c3534b70e5221469e0ba797e0c48d635a952efa3a1c2a0997079\nb: 0o8f\nc: '0b0101'\nd: '0o17'\ne: '0x1f'\n");
    }

    @Property(tries = 500)
    void anyStringsSurviveTheDumpAndAYamlReader(@ForAll("settings") Map<String, Object> settings) throws Exception {
        JsonNode back = YAML.readTree(KibanaConfigWriter.FlowYaml.dump(settings));
        assertThat(back.size()).isEqualTo(settings.size());
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            JsonNode v = back.get(e.getKey());
            assertThat(v).as("key %s", e.getKey()).isNotNull();
            if (e.getValue() instanceof List<?> l) {
                List<String> got = new ArrayList<>();
                v.forEach(n -> got.add(n.isTextual() ? n.asText() : "<" + n.getNodeType() + ">"));
                assertThat(got).isEqualTo(l);
            } else {
                assertThat(v.isTextual()).as("%s read back as %s", e.getValue(), v.getNodeType()).isTrue();
                assertThat(v.asText()).isEqualTo(e.getValue());
            }
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> settings() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars("aZ09 :#,[]{}'\"-?&*!|>%@`~.\\/\t").ofMaxLength(12),
                Arbitraries.of("true", "no", "null", "~", "1e3", "0x1F", ".inf", "-.5", "12:30", "2026-11-29", "=", "<<", "-", "- a"));
        Arbitrary<Object> value = Arbitraries.oneOf(text.map(s -> (Object) s), text.list().ofMaxSize(3).map(l -> (Object) l));
        return Arbitraries.maps(text.filter(s -> !s.isEmpty()), value).ofMaxSize(5);
    }
}
