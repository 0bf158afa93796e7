package io.svctoken.cli.tokens;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * create / list / delete end to end as processes: output, file contents, hashing settings, and the
 * written hashes checked by an independent implementation (Python's hashlib and crypt).
 */
class ServiceTokensCliTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("SERVICE_TOKEN (\\S+) = ([A-Za-z0-9+/]+)\n");

    /** Decodes the bearer token and verifies the hash with Python's standard library only. */
    private static final String PYTHON_VERIFY = """
            import base64, crypt, hashlib, hmac, sys, warnings
            token, expected_name, stored = sys.argv[1], sys.argv[2], sys.argv[3]
            raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
            assert raw[:4] == b"\\x00\\x01\\x00\\x01", raw[:4]
            name, secret = raw[4:].decode("utf-8").split(":", 1)
            assert name == expected_name, name
            if stored.startswith("{PBKDF2_STRETCH}"):
                iterations, salt, key = stored[len("{PBKDF2_STRETCH}"):].split("$")
                password = hashlib.sha512(secret.encode("utf-8")).hexdigest().encode("ascii")
                derived = hashlib.pbkdf2_hmac("sha512", password, base64.b64decode(salt), int(iterations), 32)
                ok = len(base64.b64decode(salt)) == 32 and hmac.compare_digest(derived, base64.b64decode(key))
            elif stored.startswith("$2a$"):
                ok = crypt.crypt(secret, stored) == stored
            else:
                ok = False
            print("VERIFIED" if ok else "MISMATCH", len(secret))
            """;

    private Path conf;
    private Path tokens;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.createTempDirectory("svctoken-cli");
        tokens = conf.resolve("service_tokens");
    }

    @AfterEach
    void tearDown() throws IOException {
        ServiceTokensCliErrorMatrixTest.assertNoTempFiles(conf);
        CliRunner.deleteTree(conf);
    }

    private CliRunner cli() {
        return CliRunner.forConfig(conf);
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** The printed token: name and bearer value. */
    private record Printed(String qualifiedName, String bearer) {
    }

    private static Printed printed(CliRunner.Result r) {
        Matcher m = TOKEN_LINE.matcher(r.stdout());
        assertThat(m.matches()).as(r.toString()).isTrue();
        return new Printed(m.group(1), m.group(2));
    }

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static void assertVerifiedIndependently(Printed p, String storedHash) {
        CliRunner.Result r = CliRunner.command(python(), "-W", "ignore", "-c", PYTHON_VERIFY, p.bearer(), p.qualifiedName(), storedHash);
        assertThat(r.stdout()).as(r.toString()).isEqualTo("VERIFIED 22\n");
    }

    private static void assertDecodes(Printed p, String storedHash) {
        ServiceAccountToken token = TokenCodec.decode(p.bearer()).orElseThrow();
        assertThat(token.qualifiedName()).isEqualTo(p.qualifiedName());
        assertThat(token.secret().length()).isEqualTo(22);
        assertThat(token.secret().revealAsString(SecretAccess.plaintext())).matches("[A-Za-z0-9_-]{22}");
        assertThat(Hasher.verifyHash(token.secret(), storedHash)).isTrue();
    }

    private String hashOf(String qualifiedName) throws IOException {
        return Files.readAllLines(tokens).stream().filter(l -> l.startsWith(qualifiedName + ":"))
                .map(l -> l.substring(qualifiedName.length() + 1)).findFirst().orElseThrow();
    }

    @Test
    void createWithTheDefaultAlgorithmWritesAPbkdf2StretchHashThatPythonVerifies() throws IOException {
        CliRunner.Result r = ok(cli().run("create", "elastic/fleet-server", "my-token"));
        assertThat(r.stderr()).isEmpty();
        Printed p = printed(r);
        assertThat(p.qualifiedName()).isEqualTo("elastic/fleet-server/my-token");
        assertThat(p.bearer()).startsWith("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL215LXRva2VuO"); // 00 01 00 01 "elastic/fleet-server/my-token:"
        List<String> lines = Files.readAllLines(tokens);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).matches("elastic/fleet-server/my-token:\\{PBKDF2_STRETCH}10000\\$[A-Za-z0-9+/]{43}=\\$[A-Za-z0-9+/]{43}=");
        assertVerifiedIndependently(p, hashOf("elastic/fleet-server/my-token"));
        assertDecodes(p, hashOf("elastic/fleet-server/my-token"));
        // a new file: mode 0660 and the config directory's group (svctoken's deliberate difference from Elasticsearch)
        PosixFileAttributes file = Files.readAttributes(tokens, PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(file.permissions())).isEqualTo("rw-rw----");
        assertThat(file.group()).isEqualTo(Files.readAttributes(conf, PosixFileAttributes.class).group());
        assertThat(Files.readString(tokens)).endsWith("\n").doesNotContain("\r");
    }

    @Test
    void bcrypt4FromTheCommandLineAndHashingSettingsFromTheSettingsFile() throws IOException {
        Files.writeString(conf.resolve("svctoken.yml"), "xpack.security.authc:\n  service_token_hashing.algorithm: bcrypt4\n");
        Printed fromFile = printed(ok(cli().run("create", "elastic/kibana", "from-file")));
        assertThat(hashOf("elastic/kibana/from-file")).startsWith("$2a$04$").hasSize(60);
        assertVerifiedIndependently(fromFile, hashOf("elastic/kibana/from-file"));
        assertDecodes(fromFile, hashOf("elastic/kibana/from-file"));

        // -E overrides the file
        Printed fromCommandLine = printed(ok(cli().run("create", CliRunner.FAST_HASH, "elastic/kibana", "from-cli")));
        assertThat(hashOf("elastic/kibana/from-cli")).startsWith("{PBKDF2_STRETCH}1000$");
        assertVerifiedIndependently(fromCommandLine, hashOf("elastic/kibana/from-cli"));
    }

    @Test
    void bcrypt4WithE() throws IOException {
        Printed p = printed(ok(cli().run("-Expack.security.authc.service_token_hashing.algorithm=BCRYPT4", "create", "elastic/auto-ops", "b")));
        assertThat(hashOf("elastic/auto-ops/b")).startsWith("$2a$04$");
        assertVerifiedIndependently(p, hashOf("elastic/auto-ops/b"));
    }

    @Test
    void rewritesSortedDroppingCommentsBlankLinesPlaintextAndEarlierDuplicates() throws IOException {
        String h1;
        String h2;
        String h3;
        Hasher fast = Hasher.resolve("pbkdf2_stretch_1000");
        try (Secret s = Secret.of("0123456789abcdefghij")) {
            h1 = fast.hash(s);
            h2 = fast.hash(s);
            h3 = fast.hash(s);
        }
        Files.writeString(tokens, String.join("\n",
                "# service tokens",
                "elastic/kibana/zz:" + h1,
                "",
                "   ",
                "elastic/fleet-server/plain:not-a-hash",
                "  elastic/auto-ops/dup:" + h2 + "  ",
                "elastic/auto-ops/dup:" + h3,
                "") + "\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));

        CliRunner.Result created = ok(cli().run("create", "-v", CliRunner.FAST_HASH, "elastic/fleet-server", "aaa"));
        assertThat(created.stderr()).isEqualTo(
                "WARNING: skipping plaintext service account token for key [elastic/fleet-server/plain]\n"
                        + "WARNING: found duplicated key [elastic/auto-ops/dup], earlier entries are overridden\n");
        String aaa = hashOf("elastic/fleet-server/aaa");
        assertThat(Files.readAllLines(tokens)).containsExactly(
                "elastic/auto-ops/dup:" + h3,
                "elastic/fleet-server/aaa:" + aaa,
                "elastic/kibana/zz:" + h1);
        // an existing file keeps its mode
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens))).isEqualTo("rw-r--r--");

        // a leading hyphen needs the option terminator, as in Elasticsearch; -E before the command name is forwarded
        printed(ok(cli().run(CliRunner.FAST_HASH, "create", "elastic/enterprise-search-server", "--", "-lead")));
        // silent: the token is created but not printed (Elasticsearch's behaviour)
        CliRunner.Result silent = ok(cli().run("create", "--silent", CliRunner.FAST_HASH, "elastic/fleet-server", "quiet"));
        assertThat(silent.stdout()).isEmpty();
        assertThat(silent.stderr()).isEmpty();

        CliRunner.Result all = ok(cli().run("list"));
        assertThat(all.stdout()).isEqualTo("""
                elastic/auto-ops/dup
                elastic/enterprise-search-server/-lead
                elastic/fleet-server/aaa
                elastic/fleet-server/quiet
                elastic/kibana/zz
                """);
        assertThat(all.stderr()).isEmpty();
        assertThat(ok(cli().viaSvctoken().run("list", "elastic/fleet-server")).stdout()).isEqualTo("""
                elastic/fleet-server/aaa
                elastic/fleet-server/quiet
                """);
        assertThat(ok(cli().run("list", "-s")).stdout()).isEmpty();

        CliRunner.Result deleted = ok(cli().run("delete", "elastic/kibana", "zz"));
        assertThat(deleted.stdout()).isEmpty();
        assertThat(deleted.stderr()).isEmpty();
        assertThat(ok(cli().viaSvctoken().run("delete", "elastic/auto-ops", "dup")).stdout()).isEmpty();
        assertThat(Files.readAllLines(tokens)).extracting(l -> l.substring(0, l.indexOf(':'))).containsExactly(
                "elastic/enterprise-search-server/-lead", "elastic/fleet-server/aaa", "elastic/fleet-server/quiet");
    }

    @Test
    void listWithoutAFilePrintsNothingAndCreatesNothing() {
        CliRunner.Result r = ok(cli().run("list", "elastic/kibana"));
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEmpty();
        assertThat(tokens).doesNotExist();
    }

    @Test
    void helpOfTheToolAndOfACommand() {
        CliRunner.Result tool = ok(cli().run("-h"));
        assertThat(tool.stderr()).isEmpty();
        assertThat(tool.stdout()).isEqualTo("""
                Manages elasticsearch service account file-tokens

                """ + ServiceTokensCliErrorMatrixTest.COMMANDS + ServiceTokensCliErrorMatrixTest.HELP.substring(
                ServiceTokensCliErrorMatrixTest.HELP.indexOf("Non-option")));
        CliRunner.Result create = ok(cli().run("create", "--help"));
        assertThat(create.stdout()).startsWith("Create a file token for specified service account and token name\n\n"
                + "Non-option arguments:\nservice-account-principal token-name\n\nOption ");
    }

    @Test
    void helpOfEveryCommandNamesItsArguments() {
        assertThat(ok(cli().run("delete", "-h")).stdout()).startsWith("Remove a file token for specified service account and token name\n\n"
                + "Non-option arguments:\nservice-account-principal token-name\n\nOption ");
        assertThat(ok(cli().run("list", "-h")).stdout()).startsWith("List file tokens for the specified service account\n\n"
                + "Non-option arguments:\nservice-account-principal\n\nOption ");
    }
}
