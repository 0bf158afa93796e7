package io.svctoken.cli;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClassPathOpener}: at the server's start a daemon thread opens every jar of the class path, so the main
 * thread's first look-up through all of them (SLF4J's, as logging starts) finds them open. In a child JVM whose
 * own classes come from directories, so that no jar is open before.
 */
class ClassPathOpenerTest {

    @Test
    void aDaemonThreadOpensEveryJarOfTheClassPath() throws Exception {
        String classPath = System.getProperty("java.class.path");
        long jars = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> e.endsWith(".jar"))
                .map(e -> Path.of(e).toAbsolutePath().normalize()).distinct().count();
        // the test and main classes first: the probe and the opener load without opening a jar
        String probeFirst = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target/classes").toAbsolutePath() + File.pathSeparator + classPath;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "-XX:-UsePerfData", "-cp", probeFirst, ClassPathOpenerProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("BEFORE 0\n", "THREAD svctoken-classpath daemon=true\n", "AFTER " + jars + "\n");
    }
}
