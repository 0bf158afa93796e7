package io.svctoken.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StartWarmUp}: at the server's start a daemon thread opens every jar of the class path, so the main
 * thread's first look-up through all of them (SLF4J's, as logging starts) finds them open, and loads the JDK's
 * locale data. In a child JVM whose
 * own classes come from directories, so that no jar is open before.
 */
class StartWarmUpTest {

    @TempDir
    Path tmp;

    @Test
    void aDaemonThreadOpensEveryJarOfTheClassPathAndLoadsTheLocaleData() throws Exception {
        String classPath = System.getProperty("java.class.path");
        long jars = Arrays.stream(classPath.split(File.pathSeparator)).filter(e -> e.endsWith(".jar"))
                .map(e -> Path.of(e).toAbsolutePath().normalize()).distinct().count();
        // the test and main classes first: the probe and the opener load without opening a jar
        String probeFirst = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target/classes").toAbsolutePath() + File.pathSeparator + classPath;
        Path classLog = tmp.resolve("class-load.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "-XX:-UsePerfData", "-Xlog:class+load=info:file=" + classLog + ":tid", "-cp", probeFirst,
                StartWarmUpProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("BEFORE 0\n", "THREAD svctoken-start-warm-up daemon=true\n", "AFTER " + jars + "\n");
        // the locale data (calendar data) loaded, by the warm-up thread: not by the main thread, which loaded the probe
        List<String> log = Files.readAllLines(classLog);
        String main = threadOf(log, StartWarmUpProbe.class.getName());
        String calendarData = threadOf(log, "sun.util.locale.provider.CalendarDataUtility");
        assertThat(calendarData).as("the calendar data was loaded").isNotNull().isNotEqualTo(main);
    }

    /** The thread id ({@code [tid]} decoration) of the line that loaded {@code className}, or null. */
    private static String threadOf(List<String> log, String className) {
        return log.stream().filter(l -> l.contains("] " + className + " source:")).findFirst()
                .map(l -> l.substring(l.indexOf('[') + 1, l.indexOf(']'))).orElse(null);
    }
}
