package io.svctoken.cli.common;

import io.svctoken.cli.files.FileAttributes;
import io.svctoken.cli.files.PermissionHints;
import io.svctoken.cli.files.SecureFileWriter;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the tools rewrite a security file of the config directory and report on it: through
 * {@link SecureFileWriter} (temporary file + atomic rename, permission-safe new files), notices about
 * attributes that could not be applied as {@code WARNING:} lines, a verbose line when the file was
 * created, and Elasticsearch's attribute-change warnings ({@code FileAttributesChecker}) afterwards.
 */
public final class SecurityFileOutput {

    private SecurityFileOutput() {
    }

    /**
     * Replaces {@code file} by {@code lines}.
     *
     * @throws CliException exit 70 (Elasticsearch: an uncaught {@code UncheckedIOException}),
     *                      {@code could not write file [<path>]: <cause>} and the least-privilege hint
     */
    public static void write(Terminal terminal, Path file, List<String> lines) throws CliException {
        SecureFileWriter.Result result;
        try {
            result = SecureFileWriter.write(file, lines);
        } catch (UncheckedIOException e) {
            throw CliException.withHints(ExitCodes.CODE_ERROR, e.getMessage() + ": " + e.getCause(),
                    PermissionHints.forWrite(file, e.getCause()), e);
        }
        for (String notice : result.notices()) {
            terminal.errorPrintlnAlways("WARNING: " + notice);
        }
        if (result.created()) {
            FileAttributes.read(file).ifPresent(a -> terminal.verboseErrorPrintln("created [" + file + "] with permissions ["
                    + a.permissionString() + "], owner [" + a.ownerName() + "], group [" + a.groupName() + "]"));
        }
    }

    /** The attributes of {@code files} now, to compare after rewriting them. */
    public static Map<Path, Optional<FileAttributes>> snapshot(Path... files) {
        Map<Path, Optional<FileAttributes>> before = new LinkedHashMap<>();
        for (Path f : files) {
            before.put(f, FileAttributes.read(f));
        }
        return before;
    }

    /** Elasticsearch's warnings (always printed) for every file whose mode, owner or group changed since {@code before}. */
    public static void warnAttributeChanges(Terminal terminal, Map<Path, Optional<FileAttributes>> before) {
        before.forEach((file, attributes) ->
                FileAttributes.changeWarnings(file, attributes, FileAttributes.read(file)).forEach(terminal::errorPrintlnAlways));
    }
}
