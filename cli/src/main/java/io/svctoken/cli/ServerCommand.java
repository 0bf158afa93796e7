package io.svctoken.cli;

import io.svctoken.cli.common.ExitCodes;
import io.svctoken.core.store.StoreException;
import io.svctoken.server.Logging;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import io.svctoken.server.settings.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@code svctoken [-E key=value]...}: runs the server until SIGTERM/SIGINT. */
@Command(name = "svctoken", mixinStandardHelpOptions = true, versionProvider = ServerCommand.Version.class,
        description = {"Runs the svctoken server: Elasticsearch-compatible service accounts and service tokens.",
                "Settings come from $ES_PATH_CONF/svctoken.yml (else elasticsearch.yml), default config dir <install>/config."},
        footer = {"", "Tools:",
                "  svctoken service-tokens ...  file tokens (= bin/elasticsearch-service-tokens)",
                "  svctoken users ...           file-realm users (= bin/elasticsearch-users)",
                "  svctoken reset-password ...  a user's password on the running server",
                "                               (= bin/elasticsearch-reset-password)",
                "  svctoken create-enrollment-token -s kibana",
                "                               a Kibana enrollment token",
                "                               (= bin/elasticsearch-create-enrollment-token)",
                "  svctoken kibana-setup --enrollment-token <token> [--out DIR]",
                "                               what Kibana's setup does with such a token"})
public final class ServerCommand implements Callable<Integer> {

    /** Returned once the node stopped during JVM shutdown: main must not call System.exit then. */
    static final int KEEP_RUNNING = -1;
    /** sysexits EX_CONFIG, as Elasticsearch's tools use for configuration errors. */
    static final int EXIT_CONFIG = 78;

    @Option(names = "-E", paramLabel = "<key=value>", description = "Configure a setting (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = {"-d", "--daemonize"}, description = "Starts svctoken in the background (logs to <path.logs>, default <install>/logs).")
    boolean daemonize;

    @Option(names = {"-p", "--pidfile"}, paramLabel = "<path>", description = "Creates a pid file in the specified path on start.")
    Path pidFile;

    /** For picocli, which sets the options. */
    public ServerCommand() {
    }

    /** The options as {@link ServerArgs} read them. */
    ServerCommand(ServerArgs args) {
        settings = new ArrayList<>(args.settings());
        daemonize = args.daemonize();
        pidFile = args.pidFile();
    }

    @Override
    public Integer call() {
        Path home = Path.of(System.getenv().getOrDefault("SVCTOKEN_HOME", ".")).toAbsolutePath().normalize();
        Map<String, String> env = System.getenv();
        NodeSettings nodeSettings;
        try {
            Path configDir = SettingsLoader.configDir(home, env);
            nodeSettings = new NodeSettings(home, configDir, SettingsLoader.load(configDir, settings, env));
            Logging.configure(configDir, nodeSettings.loggerLevels());
        } catch (SettingsException e) {
            System.err.println("svctoken: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (pidFile != null) {
            pidFile = pidFile.toAbsolutePath();
            String problem = PidFile.problem(pidFile);
            if (problem != null) {
                System.err.println(problem);
                return ExitCodes.USAGE;
            }
        }
        if (daemonize && !Daemon.isChild(env)) {
            return background(home, nodeSettings);
        }
        try {
            if (nodeSettings.logsPath() != null) {
                Logging.addFileLog(nodeSettings.logsPath(), nodeSettings.clusterName());
            }
            if (Daemon.isChild(env)) {
                Logging.detachConsole();
            }
            if (pidFile != null) {
                PidFile.write(pidFile);
            }
        } catch (IOException e) {
            System.err.println("svctoken: " + e.getMessage());
            return EXIT_CONFIG;
        }
        Path writtenPidFile = pidFile;
        // The hook is in place before the node starts: a SIGTERM that arrives just after the node said it
        // listens (before start() returned) must still close it cleanly.
        AtomicReference<Node> running = new AtomicReference<>();
        CountDownLatch startDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                startDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Node n = running.get();
            if (n != null) {
                n.close();
            }
            if (writtenPidFile != null) {
                PidFile.delete(writtenPidFile);
            }
            stopped.countDown();
        }, "svctoken-shutdown"));
        try {
            running.set(Node.start(nodeSettings, env, System.out));
        } catch (SettingsException | StoreException | IllegalStateException e) {
            System.err.println("svctoken: cannot start: " + e.getMessage());
            return EXIT_CONFIG;
        } catch (Exception e) {
            System.err.println("svctoken: cannot start: " + e);
            return 1;
        } finally {
            startDone.countDown();
        }
        if (Daemon.isChild(env)) {
            Daemon.detach(nodeSettings.logsPath().resolve(nodeSettings.clusterName() + ".log"));
        }
        // The server's threads are daemons: main waits here until SIGTERM/SIGINT has closed the node.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return KEEP_RUNNING;
    }

    /** {@code -d}: the same command in a background JVM, with {@code path.logs} defaulting to {@code <home>/logs} there. */
    private Integer background(Path home, NodeSettings nodeSettings) {
        List<String> args = new ArrayList<>();
        for (String s : settings) {
            args.addAll(List.of("-E", s));
        }
        if (nodeSettings.logsPath() == null) {
            args.addAll(List.of("-E", NodeSettings.PATH_LOGS.key() + "=" + home.resolve("logs")));
        }
        if (pidFile != null) {
            args.addAll(List.of("-p", pidFile.toString()));
        }
        args.add("-d");
        try {
            return Daemon.launch(args);
        } catch (IOException e) {
            System.err.println("svctoken: cannot start in the background: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ServerCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"svctoken " + p.getProperty("svctoken.version", "unknown")
                    + " (Elasticsearch-compatible: 8.19 service-account API; 9.x account set via svctoken.compatibility.version)"};
        }
    }
}
