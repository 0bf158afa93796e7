package io.svctoken.cli.tokens;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.MultiCommandTool;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code bin/elasticsearch-service-tokens} (also {@code bin/svctoken service-tokens}): a drop-in
 * replacement for Elasticsearch's tool of that name. picocli parses the
 * command line; messages, help layout, stdout/stderr and exit codes follow Elasticsearch's
 * {@code MultiCommand}/{@code Command}: {@code ERROR: <message>, with exit code <n>} after an empty
 * line, the tool's help before usage errors (exit 64).
 *
 * <p>Deliberate differences: a failure to read or write the file is one {@code ERROR:} line naming the
 * cause plus a hint instead of a stack trace (same exit codes), and a new file gets mode 0660 and the
 * config directory's group/owner (see {@link io.svctoken.cli.files.SecureFileWriter}).
 */
public final class ServiceTokensTool extends MultiCommandTool {

    /** The name {@code bin/svctoken} dispatches on, Elasticsearch's CLI tool-provider name. */
    public static final String TOOL_NAME = "service-tokens";

    /** jopt-simple's option table, as Elasticsearch's help prints it. */
    private static final String OPTION_HELP = String.join(System.lineSeparator(),
            "Option             Description",
            "------             -----------",
            "-E <KeyValuePair>  " + CliEsMessages.OPTION_SETTING_DESCRIPTION,
            "-h, --help         " + CliEsMessages.OPTION_HELP_DESCRIPTION,
            "-s, --silent       " + CliEsMessages.OPTION_SILENT_DESCRIPTION,
            "-v, --verbose      " + CliEsMessages.OPTION_VERBOSE_DESCRIPTION);

    /** Options every Elasticsearch command accepts (environment-aware ones add {@code -E}). */
    static final class CommonOptions {
        @Option(names = "-E", paramLabel = "<KeyValuePair>")
        List<String> settings = new ArrayList<>();

        @Option(names = {"-h", "--help"}, usageHelp = true)
        boolean help;

        @Option(names = {"-s", "--silent"})
        boolean silent;

        @Option(names = {"-v", "--verbose"})
        boolean verbose;
    }

    @Command(name = "elasticsearch-service-tokens")
    static final class RootCommand {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Parameters(arity = "0..*", paramLabel = "command")
        List<String> rest = new ArrayList<>();
    }

    /** create, delete and list: the common options and the positional arguments. */
    static final class SubCommand {
        @Mixin
        CommonOptions common = new CommonOptions();

        @Parameters(arity = "0..*")
        List<String> args = new ArrayList<>();
    }

    /** Sub-commands in registration (= help) order with their Elasticsearch descriptions. */
    private static final Map<String, String> SUBCOMMANDS = new LinkedHashMap<>();
    /** What each sub-command's help names its non-option arguments. */
    private static final Map<String, String> ARGUMENTS = Map.of(
            "create", "service-account-principal token-name",
            "delete", "service-account-principal token-name",
            "list", "service-account-principal");

    static {
        SUBCOMMANDS.put("create", CliEsMessages.SERVICE_TOKENS_CREATE_DESCRIPTION);
        SUBCOMMANDS.put("delete", CliEsMessages.SERVICE_TOKENS_DELETE_DESCRIPTION);
        SUBCOMMANDS.put("list", CliEsMessages.SERVICE_TOKENS_LIST_DESCRIPTION);
    }

    private static final Set<Character> SHORT_OPTIONS = Set.of('E', 'h', 's', 'v');

    public ServiceTokensTool(PrintStream out, PrintStream err, Map<String, String> env) {
        super(new Terminal(out, err), env, CliEsMessages.SERVICE_TOKENS_TOOL_DESCRIPTION, SUBCOMMANDS);
    }

    public static void main(String[] args) {
        int code = new ServiceTokensTool(System.out, System.err, System.getenv()).run(args);
        System.exit(code);
    }

    @Override
    protected String optionHelp() {
        return nonOptionsAndOptions("command") + System.lineSeparator();
    }

    @Override
    protected void execute(String[] args) throws CliException {
        RootCommand root = new RootCommand();
        CommandLine cl = new CommandLine(root);
        SUBCOMMANDS.keySet().forEach(name -> cl.addSubcommand(name, new SubCommand()));
        cl.setExpandAtFiles(false);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setAbbreviatedOptionsAllowed(true);
        cl.setUnmatchedArgumentsAllowed(false);
        // Like Elasticsearch's MultiCommand (posixly correct): after the command name everything is the command's.
        cl.setStopAtPositional(true);
        cl.getSubcommands().values().forEach(sub -> sub.setStopAtPositional(false));

        ParseResult parsed;
        try {
            parsed = cl.parseArgs(withoutEmptyArguments(args));
        } catch (CommandLine.ParameterException e) {
            throw CliException.optionError(optionErrorMessage(e));
        }
        ParseResult sub = parsed.subcommand();
        restoreEmptyArguments(root, sub == null ? null : sub.commandSpec().userObject());
        CommonOptions rootOptions = root.common;
        if (rootOptions.help) {
            printHelp(description(), "command", true);
            return;
        }
        checkSilentVerbose(rootOptions);
        terminal.setVerbosity(rootOptions.silent, rootOptions.verbose);
        if (!root.rest.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.unknownCommand(root.rest.get(0)));
        }
        if (sub == null) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.MISSING_REQUIRED_COMMAND);
        }
        SubCommand command = (SubCommand) sub.commandSpec().userObject();
        String name = sub.commandSpec().name();
        CommonOptions options = command.common;
        List<String> positional = command.args;
        if (options.help) {
            printHelp(commandDescription(name), ARGUMENTS.get(name), false);
            return;
        }
        checkSilentVerbose(options);
        setCommandVerbosity(rootOptions.silent, rootOptions.verbose, options.silent, options.verbose);

        // -E given before the command name is forwarded after the command's own (MultiCommand).
        List<String> settings = new ArrayList<>(options.settings);
        settings.addAll(rootOptions.settings);
        ToolEnvironment environment = ToolEnvironment.load(settings, env);
        FileTokenCommands commands = new FileTokenCommands(terminal, environment);
        switch (name) {
            case "create" -> commands.create(positional);
            case "delete" -> commands.delete(positional);
            default -> commands.list(positional);
        }
    }

    /**
     * picocli fails on an empty argument ({@code ''}) with an internal index error; jopt-simple, which
     * Elasticsearch uses, takes it as an ordinary value. So empty arguments pass the parser as a marker
     * no one can type and are turned back into empty strings afterwards.
     */
    private static final String EMPTY = "\u0000empty-argument\u0000";

    private static String[] withoutEmptyArguments(String[] args) {
        String[] copy = args.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i].isEmpty()) {
                copy[i] = EMPTY;
            }
        }
        return copy;
    }

    private static void restoreEmptyArguments(RootCommand root, Object command) {
        UnaryOperator<String> back = a -> EMPTY.equals(a) ? "" : a;
        root.rest.replaceAll(back);
        root.common.settings.replaceAll(back);
        if (command instanceof SubCommand c) {
            c.common.settings.replaceAll(back);
            c.args.replaceAll(back);
        }
    }

    private static void checkSilentVerbose(CommonOptions o) throws CliException {
        if (o.silent && o.verbose) {
            throw CliException.optionError(CliEsMessages.VERBOSE_UNAVAILABLE_WITH_SILENT);
        }
    }

    /** jopt-simple's wording for picocli's parse errors. */
    private static String optionErrorMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return CliEsMessages.notARecognizedOption(unrecognizedName(u.getUnmatched().get(0)));
        }
        if (e instanceof CommandLine.MissingParameterException m && m.getMissing().stream().anyMatch(CommandLine.Model.ArgSpec::isOption)) {
            return CliEsMessages.optionRequiresArgument("E"); // -E is the only option with an argument
        }
        return e.getMessage();
    }

    /** {@code --foo=1} → {@code foo}; {@code -sx} → {@code x} (the first unknown letter of a cluster). */
    private static String unrecognizedName(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return eq < 0 ? arg.substring(2) : arg.substring(2, eq);
        }
        if (arg.startsWith("-") && arg.length() > 1) {
            for (int i = 1; i < arg.length(); i++) {
                char c = arg.charAt(i);
                if (!SHORT_OPTIONS.contains(c)) {
                    return String.valueOf(c);
                }
                if (c == 'E') {
                    break;
                }
            }
            return arg.substring(1);
        }
        return arg;
    }

    /** Help on stdout ({@code -h}): description, the command list for the tool itself, then the options. */
    private void printHelp(String description, String nonOptionLabel, boolean withCommands) {
        printHelp(description, withCommands ? commandList() : List.of(), nonOptionsAndOptions(nonOptionLabel) + System.lineSeparator());
    }

    private static String nonOptionsAndOptions(String nonOptionLabel) {
        return "Non-option arguments:" + System.lineSeparator() + nonOptionLabel + System.lineSeparator() + System.lineSeparator()
                + OPTION_HELP;
    }
}
