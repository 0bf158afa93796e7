package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/svctoken's JVM options as Elasticsearch reads them: config/jvm.options, then jvm.options.d/*.options in name order,
 * then ES_JAVA_OPTS; version-range prefixes, comments, and Elasticsearch's messages for a malformed line. On a copy of
 * bin/ in a temporary install whose {@code java} records its arguments (a Java 17 by its release file).
 */
class JvmOptionsLauncherTest {

    @TempDir
    Path tmp;

    private Path install;
    private Path config;
    private Path calls;

    @BeforeEach
    void install() throws IOException {
        Path repoBin = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent().resolve("bin");
        install = tmp.resolve("install");
        Path bin = Files.createDirectories(install.resolve("bin"));
        try (Stream<Path> scripts = Files.list(repoBin)) {
            for (Path s : scripts.toList()) {
                Files.copy(s, bin.resolve(s.getFileName()));
            }
        }
        // a build, newer than any source
        Files.createDirectories(install.resolve("cli/target/lib"));
        Files.writeString(install.resolve("cli/target/svctoken-cli.jar"), "jar");
        Files.writeString(install.resolve("cli/target/.svctoken-built"), "");
        config = Files.createDirectories(install.resolve("config"));
        calls = tmp.resolve("calls.log");
        Path jdk = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.writeString(tmp.resolve("jdk/release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"17.0.15\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done >> " + calls + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private CliRunner.Result svctoken(Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", install.resolve("bin/svctoken").toString()));
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", tmp.resolve("jdk/bin") + ":/usr/bin:/bin");
        return CliRunner.exec(cmd, e, tmp);
    }

    /** bin/svctoken's own JIT setting for the server, first so that the options read after it win. */
    private static final List<String> SERVER_JIT = List.of("-XX:Tier4InvocationThreshold=100000", "-XX:Tier4MinInvocationThreshold=20000",
            "-XX:Tier4CompileThreshold=300000", "-XX:Tier4BackEdgeThreshold=1000000");

    /** The JVM options the launcher passed: everything before -cp, after the server's JIT setting (checked to be there). */
    private List<String> jvmOptions() throws IOException {
        List<String> options = allJvmOptions();
        assertThat(options.subList(0, SERVER_JIT.size())).isEqualTo(SERVER_JIT);
        return options.subList(SERVER_JIT.size(), options.size());
    }

    private List<String> allJvmOptions() throws IOException {
        List<String> all = Files.readAllLines(calls);
        return all.subList(0, all.indexOf("-cp"));
    }

    @Test
    void optionsFilesInOrderThenEsJavaOptsWithVersionPrefixesAndComments() throws IOException {
        Files.writeString(config.resolve("jvm.options"), String.join("\n",
                "## heap", "-Xms256m", "-Xmx256m", "", "   ", "# GC", "8:-XX:+UseConcMarkSweepGC", "8-16:-Dold=yes", "17-:-Dfrom17=yes",
                "17:-Dexactly17=yes", "11-17:-Drange=yes", "18-:-Dfuture=yes", "-Dno.newline.at.end=yes"));
        Path d = Files.createDirectories(config.resolve("jvm.options.d"));
        Files.writeString(d.resolve("b.options"), "-Dorder=b\n");
        Files.writeString(d.resolve("a.options"), "-Dorder=a\n");
        Files.writeString(d.resolve("ignored.txt"), "-Dignored=yes\n");

        CliRunner.Result r = svctoken(Map.of("ES_JAVA_OPTS", "-Xmx512m  -Dfrom.env=yes"), "-E", "a=b");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(jvmOptions()).containsExactly("-Xms256m", "-Xmx256m", "-Dfrom17=yes", "-Dexactly17=yes", "-Drange=yes",
                "-Dno.newline.at.end=yes", "-Dorder=a", "-Dorder=b", "-Xmx512m", "-Dfrom.env=yes");
    }

    @Test
    void withoutOptionsFilesOnlyEsJavaOptsAndEsPathConfIsWhereTheyAreRead() throws IOException {
        CliRunner.Result plain = svctoken(Map.of(), "-E", "a=b");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(jvmOptions()).isEmpty();

        Files.delete(calls);
        Path elsewhere = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(elsewhere.resolve("jvm.options"), "-Xmx64m\n");
        CliRunner.Result r = svctoken(Map.of("ES_PATH_CONF", elsewhere.toString(), "ES_JAVA_OPTS", "-Dx=1"), "-E", "a=b");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(jvmOptions()).containsExactly("-Xmx64m", "-Dx=1");
    }

    @Test
    void malformedLinesStopTheStartWithElasticsearchsMessages() throws IOException {
        Path file = config.resolve("jvm.options");
        Files.writeString(file, "-Xmx1g\nXmx2g\n17-11:-Dbad=range\n");
        CliRunner.Result r = svctoken(Map.of(), "-E", "a=b");
        assertThat(r.exit()).isEqualTo(78);
        assertThat(r.stderr()).isEqualTo("encountered [2] errors parsing [" + file + "]\n"
                + "[1]: encountered improperly formatted JVM option in [" + file + "] on line number [2]: [Xmx2g]\n"
                + "[2]: encountered improperly formatted JVM option in [" + file + "] on line number [3]: [17-11:-Dbad=range]\n");
        assertThat(calls).doesNotExist();
    }

    @Test
    void theToolsDoNotReadTheServersJvmOptions() throws IOException {
        Files.writeString(config.resolve("jvm.options"), "-Xmx1g\n");
        CliRunner.Result r = svctoken(Map.of(), "service-tokens", "list");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(allJvmOptions()).as("neither jvm.options nor the server's JIT setting").isEmpty();
    }
}
