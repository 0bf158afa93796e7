package io.svctoken.cli.common;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one of the Elasticsearch-compatible tools as a separate JVM ({@code java -cp <test class path>
 * <tool main> ...}, or {@code io.svctoken.cli.Main <tool name> ...}), optionally as another
 * (unprivileged) user through {@code setpriv}, optionally with text on stdin (no console: the tools
 * then read answers as lines of stdin). {@code elasticsearch-service-tokens} unless {@link #tool} says otherwise.
 */
public final class CliRunner {

    public static final String TOOL_MAIN = "io.svctoken.cli.tokens.ServiceTokensTool";
    public static final String USERS_MAIN = "io.svctoken.cli.users.UsersTool";
    public static final String RESET_PASSWORD_MAIN = "io.svctoken.cli.password.ResetPasswordTool";
    public static final String SVCTOKEN_MAIN = "io.svctoken.cli.Main";
    /** Cheap hashing for tests where the algorithm is not the point. */
    public static final String FAST_HASH = "-Expack.security.authc.service_token_hashing.algorithm=pbkdf2_stretch_1000";

    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private static volatile String worldReadableClassPath;

    private final Map<String, String> env = new HashMap<>();
    private String mainClass = TOOL_MAIN;
    private String svctokenName = "service-tokens";
    private final List<String> prefixArgs = new ArrayList<>();
    private String user;
    private Path workDir;
    private String stdin = "";

    /** A runner whose environment holds only PATH (plus what {@link #env} adds): no ES_PATH_CONF, no SVCTOKEN_HOME. */
    public static CliRunner bare() {
        CliRunner r = new CliRunner();
        String path = System.getenv("PATH");
        r.env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        r.env.put("LANG", "C.UTF-8");
        return r;
    }

    public static CliRunner forConfig(Path configDir) {
        return bare().env("ES_PATH_CONF", configDir.toString());
    }

    public CliRunner env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs another tool: its main class and its name as a {@code bin/svctoken} sub-command. */
    public CliRunner tool(String mainClass, String svctokenName) {
        this.mainClass = mainClass;
        this.svctokenName = svctokenName;
        prefixArgs.clear();
        return this;
    }

    /** {@code bin/elasticsearch-users}. */
    public static CliRunner users(Path configDir) {
        return forConfig(configDir).tool(USERS_MAIN, "users");
    }

    /** {@code bin/elasticsearch-reset-password}. */
    public static CliRunner resetPassword(Path configDir) {
        return forConfig(configDir).tool(RESET_PASSWORD_MAIN, "reset-password");
    }

    /** Runs {@code bin/svctoken}'s entry point with the tool's name first. */
    public CliRunner viaSvctoken() {
        mainClass = SVCTOKEN_MAIN;
        prefixArgs.clear();
        prefixArgs.add(svctokenName);
        return this;
    }

    /** Text written to the tool's stdin (then closed); empty by default. */
    public CliRunner stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Runs the JVM as {@code user} (needs root), with a copy of the class path that user can read. */
    public CliRunner asUser(String user) {
        this.user = user;
        return this;
    }

    public CliRunner in(Path dir) {
        this.workDir = dir;
        return this;
    }

    public Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        String cp = System.getProperty("java.class.path");
        if (user != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + primaryGroup(user), "--init-groups"));
            cp = worldReadableClassPath();
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp, mainClass));
        cmd.addAll(prefixArgs);
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, env, workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir")), stdin);
    }

    public static Result exec(List<String> cmd, Map<String, String> env, Path dir) {
        return exec(cmd, env, dir, "");
    }

    public static Result exec(List<String> cmd, Map<String, String> env, Path dir, String input) {
        return exec(cmd, env, dir, input, 60);
    }

    /** As {@link #exec(List, Map, Path, String)}, for a command that may take longer than a minute on a loaded machine. */
    public static Result exec(List<String> cmd, Map<String, String> env, Path dir, String input, int timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        try {
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the tool exited before reading everything
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a plain command (no JVM), e.g. {@code runuser -u user -- cat file}. */
    public static Result command(String... cmd) {
        return exec(List.of(cmd), null, Path.of("/"));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String primaryGroup(String user) {
        Result r = command("id", "-gn", user);
        if (r.exit() != 0) {
            throw new AssertionError("no user " + user + ": " + r);
        }
        return r.stdout().trim();
    }

    /**
     * The test class path copied to a world-readable directory: the Maven repository under /root is
     * not readable by other users.
     */
    public static synchronized String worldReadableClassPath() {
        if (worldReadableClassPath != null) {
            return worldReadableClassPath;
        }
        try {
            Path dir = Files.createTempDirectory("svctoken-cli-cp");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path src = Path.of(entry);
                if (!Files.exists(src)) {
                    continue;
                }
                Path dst = dir.resolve(i++ + "-" + src.getFileName());
                copyTree(src, dst);
                entries.add(dst.toString());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            worldReadableClassPath = String.join(File.pathSeparator, entries);
            return worldReadableClassPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
