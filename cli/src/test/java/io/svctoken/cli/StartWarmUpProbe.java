package io.svctoken.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Run in a child JVM by {@link StartWarmUpTest}: prints {@code BEFORE <n>} and {@code AFTER <n>}, the number of
 * jar files this process has open before {@link StartWarmUp#start()} and once its thread has ended, and
 * {@code THREAD <name>} for the thread's name.
 */
public final class StartWarmUpProbe {

    private StartWarmUpProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("BEFORE " + openJars());
        Thread t = StartWarmUp.start();
        System.out.println("THREAD " + t.getName() + " daemon=" + t.isDaemon());
        t.join(60_000);
        System.out.println("AFTER " + openJars());
    }

    private static long openJars() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile (the listing's own descriptor)
                }
            }).filter(target -> target.endsWith(".jar")).distinct().count();
        }
    }
}
