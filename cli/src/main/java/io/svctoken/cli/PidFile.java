package io.svctoken.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code -p <pidfile>} as Elasticsearch has it: checked before the start, written with the node's pid on start, removed on stop. */
final class PidFile {

    private PidFile() {
    }

    /** Elasticsearch's checks; answers the message for exit 64, or null when the path is usable. */
    static String problem(Path pidFile) {
        Path parent = pidFile.getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            return CliEsMessages.pidFileParentNotADirectory(parent.toString());
        }
        if (Files.exists(pidFile) && !Files.isRegularFile(pidFile)) {
            return CliEsMessages.pidFileNotARegularFile(pidFile.toString());
        }
        return null;
    }

    static void write(Path pidFile) throws IOException {
        if (pidFile.getParent() != null) {
            Files.createDirectories(pidFile.getParent());
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
    }

    static void delete(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // best effort on the way out, as Elasticsearch's delete on exit
        }
    }
}
