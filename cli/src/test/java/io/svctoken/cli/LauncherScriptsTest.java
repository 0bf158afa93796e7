package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher scripts' build rules, on a copy of {@code bin/} in a temporary install with a stand-in build:
 * {@code mvn} and {@code java} first on the PATH are scripts that record their calls. A tool never builds;
 * {@code bin/svctoken} builds a missing build (a fresh clone) and a build asked for ({@code --build},
 * {@code SVCTOKEN_REBUILD=1}), and only notices a build older than the sources.
 */
class LauncherScriptsTest {

    private static final String STALE_NOTICE = "svctoken: sources changed since the last build; running the existing build"
            + " (rebuild with: bin/svctoken --build)";

    @TempDir
    Path tmp;

    private Path install;
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
        Files.writeString(install.resolve("pom.xml"), "<project/>");
        Files.createDirectories(install.resolve("core/src/main/java"));
        Files.writeString(install.resolve("core/src/main/java/A.java"), "class A {}");
        calls = tmp.resolve("calls.log");
        Path fake = Files.createDirectories(tmp.resolve("fakebin"));
        // mvn "builds" the jar and its lib directory, unless told to fail
        script(fake.resolve("mvn"), "echo \"mvn $* MAVEN_OPTS=${MAVEN_OPTS:-}\" >> " + calls + "\n"
                + "[ -n \"${FAKE_MVN_FAILS:-}\" ] && { echo '[ERROR] fake failure'; exit 1; }\n"
                + "mkdir -p cli/target/lib && echo jar > cli/target/svctoken-cli.jar\n");
        script(fake.resolve("java"), "echo \"java $*\" >> " + calls + "\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The state after a build: jar, lib, stamp, all older than nothing. */
    private void built() throws IOException {
        Files.createDirectories(install.resolve("cli/target/lib"));
        Files.writeString(install.resolve("cli/target/svctoken-cli.jar"), "jar");
        Files.writeString(install.resolve("cli/target/.svctoken-built"), "");
        FileTime past = FileTime.from(Instant.now().minusSeconds(3600));
        for (String p : List.of("pom.xml", "core/src/main/java/A.java")) {
            Files.setLastModifiedTime(install.resolve(p), past);
        }
    }

    private void touchSource() throws IOException {
        Files.setLastModifiedTime(install.resolve("core/src/main/java/A.java"), FileTime.from(Instant.now().plusSeconds(60)));
    }

    private CliRunner.Result run(Map<String, String> env, String... cmd) {
        List<String> full = new ArrayList<>(List.of("bash"));
        full.add(install.resolve("bin").resolve(cmd[0]).toString());
        full.addAll(List.of(cmd).subList(1, cmd.length));
        Map<String, String> e = new HashMap<>(env);
        e.put("PATH", tmp.resolve("fakebin") + ":/usr/bin:/bin");
        return CliRunner.exec(full, e, tmp);
    }

    private List<String> calls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    void aToolNeverBuildsAStaleBuildAndSaysSoInOneLine() throws Exception {
        built();
        touchSource();
        for (String tool : List.of("elasticsearch-service-tokens", "elasticsearch-users", "elasticsearch-reset-password",
                "elasticsearch-create-enrollment-token")) {
            CliRunner.Result r = run(Map.of("SVCTOKEN_REBUILD", "1"), tool, "list");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).as(tool).isEqualTo(STALE_NOTICE + "\n");
        }
        assertThat(calls()).hasSize(4).allMatch(l -> l.startsWith("java ")).noneMatch(l -> l.startsWith("mvn"));
        assertThat(calls().get(0)).endsWith("io.svctoken.cli.tokens.ServiceTokensTool list");
    }

    @Test
    void aToolWithoutABuildSaysHowToBuildAndExits78() throws Exception {
        CliRunner.Result r = run(Map.of(), "elasticsearch-service-tokens", "list");
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).isEqualTo("svctoken: no build in [" + install + "/cli/target]; the tools never build: run bin/svctoken once"
                + " (it builds a fresh clone) or 'mvn -B -DskipTests package' in [" + install + "]\n");
        assertThat(calls()).isEmpty();
    }

    @Test
    void theServerLauncherBuildsAFreshCloneOnceWithoutTerminalEscapes() throws Exception {
        CliRunner.Result first = run(Map.of(), "svctoken", "-E", "a=b");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.stderr()).isEqualTo("svctoken: no build yet: building (mvn -B -q -DskipTests package)...\n");
        assertThat(calls()).hasSize(2);
        assertThat(calls().get(0)).startsWith("mvn -B -q -DskipTests package").contains("-Djansi.noreset=true");
        assertThat(calls().get(1)).startsWith("java ").endsWith("io.svctoken.cli.Main -E a=b");
        Files.delete(calls);
        CliRunner.Result second = run(Map.of(), "svctoken");
        assertThat(second.stderr()).isEmpty();
        assertThat(calls()).hasSize(1).allMatch(l -> l.startsWith("java "));
    }

    @Test
    void theServerLauncherOnlyNoticesAStaleBuild() throws Exception {
        built();
        touchSource();
        CliRunner.Result r = run(Map.of(), "svctoken", "users", "list");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).isEqualTo(STALE_NOTICE + "\n");
        assertThat(calls()).hasSize(1).allMatch(l -> l.endsWith("io.svctoken.cli.Main users list"));
    }

    @Test
    void theServerLauncherRebuildsWhenAsked() throws Exception {
        built();
        CliRunner.Result flag = run(Map.of(), "svctoken", "--build", "-E", "a=b");
        assertThat(flag.exit()).as(flag.toString()).isZero();
        assertThat(flag.stderr()).isEqualTo("svctoken: building (mvn -B -q -DskipTests package)...\n");
        assertThat(calls()).hasSize(2);
        assertThat(calls().get(0)).startsWith("mvn ");
        assertThat(calls().get(1)).endsWith("io.svctoken.cli.Main -E a=b");
        Files.delete(calls);
        CliRunner.Result env = run(Map.of("SVCTOKEN_REBUILD", "1"), "svctoken");
        assertThat(env.exit()).as(env.toString()).isZero();
        assertThat(calls()).hasSize(2);
        assertThat(calls().get(0)).startsWith("mvn ");
    }

    @Test
    void aFailedBuildStartsNothing() throws Exception {
        built();
        CliRunner.Result r = run(Map.of("FAKE_MVN_FAILS", "1"), "svctoken", "--build");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).endsWith("svctoken: the build failed (see above); nothing was started\n").contains("[ERROR] fake failure");
        assertThat(calls()).hasSize(1).allMatch(l -> l.startsWith("mvn "));
    }
}
