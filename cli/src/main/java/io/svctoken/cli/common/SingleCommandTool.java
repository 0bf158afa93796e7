package io.svctoken.cli.common;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool without sub-commands: the {@link StandardOptions} first, the tool's own after them (declared by
 * the subclass on {@link #parser}); {@code -h} prints the help, anything else runs {@link #execute(OptionParser.Parsed)}.
 */
public abstract class SingleCommandTool extends CliTool {

    protected final StandardOptions common;
    protected final OptionParser parser;

    protected SingleCommandTool(Terminal terminal, Map<String, String> env, String description, StandardOptions common) {
        super(terminal, env, description);
        this.common = common;
        this.parser = common.parser;
    }

    @Override
    protected final String optionHelp() {
        return parser.help();
    }

    @Override
    protected final void execute(String[] args) throws CliException {
        Optional<OptionParser.Parsed> parsed = parse(common, Arrays.asList(args), description(), List.of());
        if (parsed.isPresent()) {
            execute(parsed.get());
        }
    }

    /** Does the work with the parsed command line; every expected failure is a {@link CliException}. */
    protected abstract void execute(OptionParser.Parsed options) throws CliException;
}
