package io.svctoken.cli.common;

import io.svctoken.cli.CliEsMessages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tool with sub-commands, as Elasticsearch's {@code MultiCommand}: the tool's help lists the commands,
 * and so does the error for a missing command.
 */
public abstract class MultiCommandTool extends CliTool {

    private final Map<String, String> commands;

    /** @param commands name to description, in help order */
    protected MultiCommandTool(Terminal terminal, Map<String, String> env, String description, Map<String, String> commands) {
        super(terminal, env, description);
        this.commands = commands;
    }

    @Override
    protected final List<String> linesAfterError(CliException e) {
        if (CliEsMessages.MISSING_REQUIRED_COMMAND.equals(e.getMessage())) {
            List<String> lines = new ArrayList<>();
            lines.add("");
            lines.addAll(commandList());
            return lines;
        }
        return List.of();
    }

    /** {@code Commands}, its underline, {@code <name> - <description>} per command and an empty line. */
    protected final List<String> commandList() {
        List<String> lines = new ArrayList<>();
        lines.add(CliEsMessages.HELP_COMMANDS_HEADER);
        lines.add(CliEsMessages.HELP_COMMANDS_UNDERLINE);
        commands.forEach((name, description) -> lines.add(name + " - " + description));
        lines.add("");
        return lines;
    }

    protected final String commandDescription(String name) {
        return commands.get(name);
    }

    protected final boolean isCommand(String name) {
        return commands.containsKey(name);
    }

    /**
     * After the command's own options: svctoken honours {@code -s}/{@code -v} given before the command name as
     * well (Elasticsearch's sub-command resets them); the command's {@code -s} wins over the tool's {@code -v}.
     */
    protected final void setCommandVerbosity(boolean toolSilent, boolean toolVerbose, boolean silent, boolean verbose) {
        terminal.setVerbosity(silent || toolSilent, verbose || (toolVerbose && !silent));
    }
}
