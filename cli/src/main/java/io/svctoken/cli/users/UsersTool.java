package io.svctoken.cli.users;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.MultiCommandTool;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.OptionParser;
import io.svctoken.cli.common.StandardOptions;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/elasticsearch-users} (also {@code bin/svctoken users}): a drop-in replacement for
 * Elasticsearch's tool of that name. It manages the file realm's
 * {@code users} and {@code users_roles} in the config directory with {@code useradd}, {@code userdel},
 * {@code passwd}, {@code roles} and {@code list}; command line, prompts, messages, stdout/stderr and
 * exit codes are Elasticsearch's {@code MultiCommand}'s and {@code UsersTool}'s.
 *
 * <p>Files are rewritten as the service-tokens tool rewrites {@code service_tokens}: temporary file and
 * atomic rename, an existing file keeps its mode, owner and group, a new one gets mode 0660 and the
 * config directory's group. Passwords come from {@code -p} or are read from the console (without
 * echo), else as lines of stdin.
 */
public final class UsersTool extends MultiCommandTool {

    /** The name {@code bin/svctoken} dispatches on, Elasticsearch's CLI tool-provider name. */
    public static final String TOOL_NAME = "users";

    private static final Map<String, String> SUBCOMMANDS = new LinkedHashMap<>();
    private static final Map<String, List<String>> ADDITIONAL_HELP = Map.of(
            "useradd", CliEsMessages.USERS_USERADD_HELP,
            "userdel", CliEsMessages.USERS_USERDEL_HELP,
            "passwd", CliEsMessages.USERS_PASSWD_HELP,
            "roles", CliEsMessages.USERS_ROLES_HELP,
            "list", CliEsMessages.USERS_LIST_HELP);

    static {
        SUBCOMMANDS.put("useradd", CliEsMessages.USERS_USERADD_DESCRIPTION);
        SUBCOMMANDS.put("userdel", CliEsMessages.USERS_USERDEL_DESCRIPTION);
        SUBCOMMANDS.put("passwd", CliEsMessages.USERS_PASSWD_DESCRIPTION);
        SUBCOMMANDS.put("roles", CliEsMessages.USERS_ROLES_DESCRIPTION);
        SUBCOMMANDS.put("list", CliEsMessages.USERS_LIST_DESCRIPTION);
    }

    public UsersTool(Terminal terminal, Map<String, String> env) {
        super(terminal, env, CliEsMessages.USERS_TOOL_DESCRIPTION, SUBCOMMANDS);
    }

    public static void main(String[] args) {
        System.exit(new UsersTool(Terminal.system(), System.getenv()).run(args));
    }

    @Override
    protected String optionHelp() {
        return rootOptions().parser.help();
    }

    /** The tool's own options: the common ones, options end at the command name. */
    private static StandardOptions rootOptions() {
        StandardOptions root = StandardOptions.of(true);
        root.parser.nonOptions("command");
        return root;
    }

    @Override
    protected void execute(String[] args) throws CliException {
        StandardOptions root = rootOptions();
        Optional<OptionParser.Parsed> parsedRoot = parse(root, Arrays.asList(args), description(), commandList());
        if (parsedRoot.isEmpty()) {
            return;
        }
        OptionParser.Parsed rootOptions = parsedRoot.get();
        List<String> rest = rootOptions.nonOptions();
        if (rest.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.MISSING_REQUIRED_COMMAND);
        }
        String name = rest.get(0);
        if (!isCommand(name)) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.unknownCommand(name));
        }
        // MultiCommand forwards -E given before the command name after the command's own arguments.
        List<String> subArgs = new ArrayList<>(rest.subList(1, rest.size()));
        for (String kv : rootOptions.valuesOf(root.settings)) {
            subArgs.add("-E");
            subArgs.add(kv);
        }

        StandardOptions sub = StandardOptions.of(false);
        sub.parser.nonOptions("username");
        OptionParser.Spec password = null;
        OptionParser.Spec roles = null;
        OptionParser.Spec add = null;
        OptionParser.Spec remove = null;
        switch (name) {
            case "useradd" -> {
                password = sub.parser.withArgument(CliEsMessages.USERS_OPTION_PASSWORD, "String", "p", "password");
                roles = sub.parser.withArgumentDefault(CliEsMessages.USERS_OPTION_ROLES, "String", "", "r", "roles");
            }
            case "passwd" -> password = sub.parser.withArgument(CliEsMessages.USERS_OPTION_PASSWORD, "String", "p", "password");
            case "roles" -> {
                add = sub.parser.withArgumentDefault(CliEsMessages.USERS_OPTION_ADD_ROLES, "String", "", "a", "add");
                remove = sub.parser.withArgumentDefault(CliEsMessages.USERS_OPTION_REMOVE_ROLES, "String", "", "r", "remove");
            }
            default -> {
                // userdel, list: the common options only
            }
        }
        Optional<OptionParser.Parsed> parsed = parse(sub, subArgs, commandDescription(name), ADDITIONAL_HELP.get(name));
        if (parsed.isEmpty()) {
            return;
        }
        OptionParser.Parsed options = parsed.get();
        setCommandVerbosity(root.silent(rootOptions), root.verbose(rootOptions), sub.silent(options), sub.verbose(options));

        ToolEnvironment environment = ToolEnvironment.load(options.valuesOf(sub.settings), env);
        FileUserCommands commands = new FileUserCommands(terminal, environment);
        List<String> positional = options.nonOptions();
        switch (name) {
            case "useradd" -> commands.useradd(positional, options.valueOf(password), options.valueOf(roles));
            case "userdel" -> commands.userdel(positional);
            case "passwd" -> commands.passwd(positional, options.valueOf(password));
            case "roles" -> commands.roles(positional, options.valueOf(add), options.valueOf(remove));
            default -> commands.list(positional);
        }
    }
}
