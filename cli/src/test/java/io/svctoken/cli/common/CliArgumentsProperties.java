package io.svctoken.cli.common;

import io.svctoken.cli.tokens.ServiceTokensTool;
import io.svctoken.cli.users.UsersTool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file tools run in-process with arbitrary argument lists built from their own vocabulary: every
 * run ends with one of Elasticsearch's exit codes and an Elasticsearch-style message, never with an
 * unexpected exception (which the tools would report as {@code ERROR: java.lang...}).
 */
class CliArgumentsProperties {

    private static final Set<Integer> EXIT_CODES = Set.of(ExitCodes.OK, ExitCodes.USAGE, ExitCodes.DATA_ERROR, ExitCodes.NO_USER,
            ExitCodes.CODE_ERROR, ExitCodes.CANT_CREATE, ExitCodes.IO_ERROR, ExitCodes.CONFIG);
    private static final List<String> WORDS = List.of("create", "delete", "list", "useradd", "userdel", "passwd", "roles", "bogus", "",
            "elastic/fleet-server", "elastic/kibana", "elastic/nope", "elastic/", "/", "x", "t1", "t2", "_bad", "-dash", "a b",
            "y".repeat(300), "bob", "alice", "-E", "xpack.security.authc.service_token_hashing.algorithm=pbkdf2_stretch_1000",
            "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000", "bogus.setting=1", "novalue", "-s", "-v", "-h", "--",
            "-p", "secret-pw-1", "-r", "viewer,editor", "-a", "-d", "superuser", "--silent", "--verbose", "-Z");

    static Path conf;

    @BeforeContainer
    static void createConfig() throws IOException {
        conf = Files.createTempDirectory("svctoken-cli-props");
    }

    @AfterContainer
    static void deleteConfig() throws IOException {
        try (Stream<Path> paths = Files.walk(conf)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 400)
    void serviceTokensEndsWithAnElasticsearchExitCode(@ForAll("arguments") List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ServiceTokensTool(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("ES_PATH_CONF", conf.toString())).run(args.toArray(String[]::new));
        check(args, code, err);
    }

    @Property(tries = 400)
    void usersEndsWithAnElasticsearchExitCode(@ForAll("arguments") List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("prompted-pw-1\nprompted-pw-1\n".getBytes(StandardCharsets.UTF_8)), null);
        int code = new UsersTool(terminal, Map.of("ES_PATH_CONF", conf.toString())).run(args.toArray(String[]::new));
        check(args, code, err);
    }

    private static void check(List<String> args, int code, ByteArrayOutputStream err) {
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(EXIT_CODES).as("exit %d for %s%n%s", code, args, stderr).contains(code);
        assertThat(stderr).as("%s", args).doesNotContain("java.lang.").doesNotContain("\tat ");
        if (code != ExitCodes.OK) {
            assertThat(stderr).as("a failure says why: %s", args).isNotBlank();
        }
    }

    @Provide
    Arbitrary<List<String>> arguments() {
        return Arbitraries.of(WORDS).list().ofMaxSize(7);
    }
}
