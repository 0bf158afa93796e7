package io.svctoken.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's usual command line ({@code -E k=v}, {@code -d}, {@code -p <path>} and their long forms) read without
 * picocli: picocli's class files are too old for the class-data archive, and loading them cost a start ~190 ms.
 * Only forms whose meaning picocli gives too are read here; anything else (help, version, a mistake, an argument
 * file, a value that looks like an option, a clustered {@code -dE...}) is left to picocli, so its help text, error
 * messages and exit codes stay the only ones ({@code ServerArgsProperties} runs both on the same lists).
 */
record ServerArgs(List<String> settings, boolean daemonize, Path pidFile) {

    /** What {@code args} mean, or null when picocli must read them. */
    static ServerArgs parse(String[] args) {
        List<String> settings = new ArrayList<>();
        boolean daemonize = false;
        Path pidFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-E")) {
                if (i + 1 == args.length || !plainValue(args[i + 1])) {
                    return null;
                }
                settings.add(args[++i]);
            } else if (a.startsWith("-E") && plainStart(a.charAt(2))) {
                settings.add(a.substring(2)); // -Ekey=value, as picocli reads an attached short option's value
            } else if (a.equals("-d") || a.equals("--daemonize")) {
                if (daemonize) {
                    return null; // picocli refuses the second one
                }
                daemonize = true;
            } else if (a.equals("-p") || a.equals("--pidfile") || a.startsWith("--pidfile=")) {
                String value;
                if (a.startsWith("--pidfile=")) {
                    value = a.substring("--pidfile=".length());
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (pidFile != null || !plainValue(value)) {
                    return null;
                }
                try {
                    pidFile = Path.of(value);
                } catch (InvalidPathException e) {
                    return null; // picocli's "is not a Path"
                }
            } else {
                return null;
            }
        }
        return new ServerArgs(List.copyOf(settings), daemonize, pidFile);
    }

    /** Not empty, not what picocli could take for an option ({@code -...}) or an argument file ({@code @...}). */
    private static boolean plainValue(String value) {
        return !value.isEmpty() && value.charAt(0) != '-' && value.charAt(0) != '@';
    }

    private static boolean plainStart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }
}
