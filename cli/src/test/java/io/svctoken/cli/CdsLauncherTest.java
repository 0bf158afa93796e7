package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/svctoken and its class-data archive ({@code cli/target/svctoken.jsa}, written by bin/svctoken-cds), with the
 * real JVM on a temporary install laid out like a build: {@code cli/target/svctoken-cli.jar} (this module's
 * classes) and {@code cli/target/lib/} (the test class path's jars). A usable archive is mapped; a missing,
 * corrupt, truncated or stale one (the jar rebuilt after it) never stops a start and never shows a JVM warning.
 * {@code --version} stands for a start: it runs the same JVM and class path and then exits.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CdsLauncherTest {

    private static final String FROM_ARCHIVE = "io.svctoken.cli.Main source: shared objects file (top)";

    @TempDir
    Path tmp;

    private Path install;
    private Path archive;

    @BeforeEach
    void install() throws IOException {
        install = tmp.resolve("install");
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        Path bin = Files.createDirectories(install.resolve("bin"));
        try (Stream<Path> scripts = Files.list(repo.getParent().resolve("bin"))) {
            for (Path s : scripts.toList()) {
                Files.copy(s, bin.resolve(s.getFileName()));
            }
        }
        Path target = Files.createDirectories(install.resolve("cli/target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        // The archive only covers classes from jars: the module's classes go into a jar, as `package` does.
        jar(repo.resolve("target/classes"), target.resolve("svctoken-cli.jar"));
        Path ownClasses = repo.resolve("target/classes");
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Files.createSymbolicLink(lib.resolve(p.getFileName()), p);
            } else if (Files.isDirectory(p) && p.endsWith("classes") && !p.equals(ownClasses)) {
                // another module of the reactor build (server, core, ...): a jar, as in a packaged build
                jar(p, lib.resolve("module-" + n++ + "-" + p.getParent().getParent().getFileName() + ".jar"));
            }
        }
        Files.writeString(target.resolve(".svctoken-built"), "");
        archive = target.resolve("svctoken.jsa");
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            // directory entries too, as the jar plugin writes them: Flyway finds its migrations by directory
            for (Path f : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                boolean dir = Files.isDirectory(f);
                out.putNextEntry(new JarEntry(dir ? name + "/" : name));
                if (!dir) {
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
    }

    private CliRunner.Result svctoken(Map<String, String> extraEnv, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", install.resolve("bin/svctoken").toString()));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("PATH", System.getenv("PATH"));
        return CliRunner.exec(cmd, env, tmp);
    }

    /** bin/svctoken --version with class loading logged: says where io.svctoken.cli.Main came from. */
    private CliRunner.Result versionLoggingClassLoads(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("SVCTOKEN_JAVA_OPTS", "-Xlog:class+load=info");
        return svctoken(e, "--version");
    }

    private static void assertStartedCleanly(CliRunner.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).as(r.toString()).contains("svctoken ");
        assertThat(r.stderr()).as(r.toString()).isEmpty();
        assertThat(r.stdout()).as("no JVM warning about the archive").doesNotContain("warning").doesNotContain("archive");
    }

    /** A real archive of this install's class path, as svctoken-cds records it (archive + size). */
    private void validArchive() throws IOException {
        List<String> cmd = List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off", "-cp",
                install.resolve("cli/target/svctoken-cli.jar") + ":" + install.resolve("cli/target/lib") + "/*", "io.svctoken.cli.Main",
                "--version");
        CliRunner.Result r = CliRunner.exec(cmd, Map.of("PATH", System.getenv("PATH")), tmp);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(archive).isNotEmptyFile();
        Files.writeString(archive.resolveSibling("svctoken.jsa.size"), Long.toString(Files.size(archive)) + "\n");
    }

    @Test
    void aUsableArchiveIsMapped() throws Exception {
        validArchive();
        CliRunner.Result r = versionLoggingClassLoads(Map.of());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains(FROM_ARCHIVE);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void svctokenCdsOffStartsWithoutTheArchive() throws Exception {
        validArchive();
        CliRunner.Result r = versionLoggingClassLoads(Map.of("SVCTOKEN_CDS", "off"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).doesNotContain(FROM_ARCHIVE).contains("io.svctoken.cli.Main source: file:");
    }

    @Test
    void noArchiveStartsAsBefore() {
        assertStartedCleanly(svctoken(Map.of(), "--version"));
    }

    @Test
    void aCorruptArchiveIsIgnoredSilently() throws Exception {
        byte[] junk = new byte[200_000];
        new Random(42).nextBytes(junk);
        Files.write(archive, junk);
        Files.writeString(archive.resolveSibling("svctoken.jsa.size"), junk.length + "\n");
        assertStartedCleanly(svctoken(Map.of(), "--version"));
    }

    @Test
    void aTruncatedArchiveIsNotMapped() throws Exception {
        // The JVM crashes (SIGBUS) mapping a truncated archive: the recorded size keeps the launcher from using it.
        validArchive();
        byte[] whole = Files.readAllBytes(archive);
        try (OutputStream out = Files.newOutputStream(archive)) {
            out.write(whole, 0, whole.length / 3);
        }
        assertStartedCleanly(svctoken(Map.of(), "--version"));
        Files.delete(archive.resolveSibling("svctoken.jsa.size"));
        assertStartedCleanly(svctoken(Map.of(), "--version"));
    }

    @Test
    void anArchiveOfAnOlderBuildIsIgnoredSilently() throws Exception {
        validArchive();
        // a rebuilt jar: same path, new contents and time
        Path jar = install.resolve("cli/target/svctoken-cli.jar");
        jar(Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/classes"), jar);
        try (OutputStream out = Files.newOutputStream(jar, StandardOpenOption.APPEND)) {
            out.write(new byte[16]);
        }
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertStartedCleanly(svctoken(Map.of(), "--version"));
        CliRunner.Result r = versionLoggingClassLoads(Map.of());
        assertThat(r.stdout()).doesNotContain(FROM_ARCHIVE).contains("io.svctoken.cli.Main source: file:");
    }

    @Test
    void svctokenCdsWritesAnArchiveTheLauncherMaps() throws Exception {
        // the training run starts a node and drives it: seconds on a quiet machine, over a minute on a busy one
        CliRunner.Result cds = CliRunner.exec(List.of("bash", install.resolve("bin/svctoken-cds").toString()),
                Map.of("PATH", System.getenv("PATH")), tmp, "", 300);
        assertThat(cds.exit()).as(cds.toString()).isZero();
        Path log = install.resolve("cli/target/cds-training/training.log");
        assertThat(cds.stdout()).as(cds + (Files.exists(log) ? Files.readString(log) : "")).startsWith("svctoken-cds: wrote " + archive);
        assertThat(install.resolve("cli/target/cds-training")).doesNotExist();
        assertThat(Files.readString(archive.resolveSibling("svctoken.jsa.size")).trim()).isEqualTo(Long.toString(Files.size(archive)));
        CliRunner.Result r = versionLoggingClassLoads(Map.of());
        assertThat(r.stdout()).contains(FROM_ARCHIVE);
        // the JVM's own listing of the archive bin/svctoken maps: the server's classes are in it
        CliRunner.Result listing = svctoken(Map.of("SVCTOKEN_JAVA_OPTS", "-XX:+PrintSharedArchiveAndExit"));
        assertThat(listing.stdout()).as(listing.toString()).contains("archive is valid")
                .contains("io.svctoken.server.Node app_loader").contains("io.svctoken.server.http.HttpServer app_loader")
                // a plain-HTTP node's own classes (response compression), which an HTTPS-only training never loaded
                .contains("io.netty.handler.codec.http.HttpContentCompressor app_loader")
                // and a first start's (the schema created from the snapshot), which a restart never loads
                .contains("io.svctoken.store.sqlite.SchemaSnapshot app_loader");
    }
}
