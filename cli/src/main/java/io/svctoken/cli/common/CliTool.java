package io.svctoken.cli.common;

import io.svctoken.cli.CliEsMessages;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every Elasticsearch-compatible tool here shares with Elasticsearch's {@code Command.main}: the
 * exit code and how a failure is printed.
 * <ul>
 * <li>An option error: the tool's help on stderr, then {@code ERROR: <message>}, exit 64.</li>
 * <li>A {@link CliException}: with exit code 64 the help first; then an empty line and
 *     {@code ERROR: <message>, with exit code <n>} (always, even with {@code -s}), then svctoken's hint
 *     lines and what {@link #linesAfterError} adds.</li>
 * <li>Any other exception: {@code ERROR: <exception>, with exit code 70} (Elasticsearch prints the
 *     stack trace; svctoken does with {@code -v}).</li>
 * </ul>
 */
public abstract class CliTool {

    protected final Terminal terminal;
    /** The process environment ({@code ES_PATH_CONF}, {@code ES_HOME}, ...). */
    protected final Map<String, String> env;
    private final String description;

    /** @param description the tool's description, the first line of its help */
    protected CliTool(Terminal terminal, Map<String, String> env, String description) {
        this.terminal = terminal;
        this.env = env;
        this.description = description;
    }

    /** Runs the tool and answers its exit code; never throws. */
    public final int run(String... args) {
        try {
            execute(args);
            return ExitCodes.OK;
        } catch (CliException e) {
            printError(e);
            return e.exitCode();
        } catch (RuntimeException | Error e) {
            terminal.errorPrintln("");
            terminal.errorPrintlnAlways("ERROR: " + CliEsMessages.withExitCode(String.valueOf(e), ExitCodes.CODE_ERROR));
            if (terminal.isVerbose()) {
                e.printStackTrace(terminal.err());
            }
            return ExitCodes.CODE_ERROR;
        } finally {
            terminal.flush();
        }
    }

    /** Does the work; every expected failure is a {@link CliException}. */
    protected abstract void execute(String[] args) throws CliException;

    /** The tool's description, the first line of its help. */
    protected final String description() {
        return description;
    }

    /** The non-option and option table printed after the description (jopt-simple's layout). */
    protected abstract String optionHelp();

    /** Lines printed on stderr after the error (e.g. the command list after {@code Missing required command}). */
    protected List<String> linesAfterError(CliException e) {
        return List.of();
    }

    /**
     * Parses {@code args}; with {@code -h} prints the help ({@code description}, {@code helpLines}, the option
     * table) and answers empty, for the tool to stop. Otherwise sets the verbosity from {@code -s}/{@code -v}.
     */
    protected final Optional<OptionParser.Parsed> parse(StandardOptions options, List<String> args, String description,
            List<String> helpLines) throws CliException {
        OptionParser.Parsed parsed = options.parser.parse(args);
        if (parsed.has(options.help)) {
            printHelp(description, helpLines, options.parser.help());
            return Optional.empty();
        }
        terminal.setVerbosity(options.silent(parsed), options.verbose(parsed));
        return Optional.of(parsed);
    }

    /** Help on stdout ({@code -h}), at every verbosity: description, extra lines, the option table. */
    protected final void printHelp(String description, List<String> extraLines, String optionTable) {
        terminal.setVerbosity(false, false);
        terminal.println(description);
        terminal.println("");
        extraLines.forEach(terminal::println);
        terminal.print(optionTable);
    }

    private void printError(CliException e) {
        if (e.exitCode() == ExitCodes.USAGE) {
            // Elasticsearch prints the tool's help (a multi-command's own, not the sub-command's) before a usage error.
            terminal.errorPrintln(description());
            terminal.errorPrintln("");
            terminal.err().print(optionHelp());
        }
        if (e.isOptionError()) {
            terminal.errorPrintlnAlways("ERROR: " + e.getMessage());
            return;
        }
        if (e.getMessage() != null) {
            terminal.errorPrintln("");
            terminal.errorPrintlnAlways("ERROR: " + CliEsMessages.withExitCode(e.getMessage(), e.exitCode()));
        }
        e.hints().forEach(terminal::errorPrintlnAlways);
        linesAfterError(e).forEach(terminal::errorPrintln);
    }
}
