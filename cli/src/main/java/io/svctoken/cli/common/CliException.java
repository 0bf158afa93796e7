package io.svctoken.cli.common;

import java.util.List;

/**
 * A failure the tool reports as {@code ERROR: <message>, with exit code <n>} (Elasticsearch's
 * {@code UserException}), optionally followed by hint lines of svctoken's own. An option-parsing error
 * ({@link #optionError}) is printed without the exit-code suffix, as jopt-simple errors are.
 */
public final class CliException extends Exception {

    private final int exitCode;
    private final boolean optionError;
    private final List<String> hints;

    private CliException(int exitCode, String message, boolean optionError, List<String> hints, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.optionError = optionError;
        this.hints = List.copyOf(hints);
    }

    public CliException(int exitCode, String message) {
        this(exitCode, message, false, List.of(), null);
    }

    public static CliException withHints(int exitCode, String message, List<String> hints, Throwable cause) {
        return new CliException(exitCode, message, false, hints, cause);
    }

    /** A command-line parsing error: help, then {@code ERROR: <message>}, exit 64. */
    public static CliException optionError(String message) {
        return new CliException(ExitCodes.USAGE, message, true, List.of(), null);
    }

    /** The same failure (message, hints, cause) with another exit code. */
    public CliException withExitCode(int code) {
        return new CliException(code, getMessage(), optionError, hints, getCause());
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean isOptionError() {
        return optionError;
    }

    public List<String> hints() {
        return hints;
    }
}
