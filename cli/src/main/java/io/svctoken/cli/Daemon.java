package io.svctoken.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code svctoken -d}, as Elasticsearch's: the node runs in a second JVM in its own session (no terminal, stdin
 * closed). Until it has started, its stdout and stderr are pipes to this launcher, which copies them to the
 * terminal (the first-start banner, a start error); then the node logs to {@code <path.logs>/<cluster.name>.log}
 * only and closes the pipes, and the launcher exits 0. A node that exits during its start makes the launcher exit
 * with its exit code.
 */
final class Daemon {

    /** Set in the background node's environment: it detaches from the pipes once started. */
    static final String CHILD_ENV = "SVCTOKEN_DAEMONIZED";
    /** The byte the started node writes on stderr before it closes the pipes (Elasticsearch's server-ready marker is one too). */
    private static final int STARTED = 0x18;

    private Daemon() {
    }

    static boolean isChild(Map<String, String> env) {
        return "1".equals(env.get(CHILD_ENV));
    }

    /** Starts the node in the background with {@code args} (without -d) and waits until it started or failed. */
    static int launch(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            // its own session: a closed terminal sends it no SIGHUP (-w: should setsid fork, it waits and passes the exit code on)
            cmd.addAll(List.of("/usr/bin/setsid", "-w"));
        }
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the same JVM options (heap, class-data archive, ...) and class path as this launcher's
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put(CHILD_ENV, "1");
        Process node = pb.start();
        AtomicBoolean started = new AtomicBoolean();
        Thread out = copy(node.getInputStream(), System.out, null);
        Thread err = copy(node.getErrorStream(), System.err, started);
        out.join();
        err.join();
        // Both pipes closed: the node either started (and said so) or exited.
        return started.get() ? 0 : node.waitFor();
    }

    private static Thread copy(InputStream from, PrintStream to, AtomicBoolean started) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (started != null && buf[i] == STARTED) {
                            started.set(true);
                        } else {
                            to.write(buf[i]);
                        }
                    }
                    to.flush();
                }
            } catch (IOException ignored) {
                // the node closed its end
            }
        }, "svctoken-daemon-pipe");
        t.start();
        return t;
    }

    /**
     * In the background node once started: stdout and stderr go to the log file from now on, and the launcher's pipes
     * close. A log file that cannot be opened is said on the launcher's stderr; the launcher returns all the same.
     */
    static void detach(Path logFile) {
        System.out.flush();
        OutputStream sink;
        try {
            sink = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("svctoken: cannot write [" + logFile + "]: " + e.getMessage() + "; stdout and stderr are discarded");
            sink = OutputStream.nullOutputStream();
        }
        System.err.write(STARTED);
        System.err.flush();
        PrintStream log = new PrintStream(sink, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(log);
        System.setErr(log);
        oldOut.close(); // file descriptor 1 no longer the pipe: the launcher sees its end
        oldErr.close();
    }
}
