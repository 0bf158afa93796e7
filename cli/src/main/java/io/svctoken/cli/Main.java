package io.svctoken.cli;

import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.kibana.KibanaSetupCommand;
import io.svctoken.cli.password.CreateEnrollmentTokenTool;
import io.svctoken.cli.password.ResetPasswordTool;
import io.svctoken.cli.tokens.ServiceTokensTool;
import io.svctoken.cli.users.UsersTool;
import picocli.CommandLine;

import java.util.Arrays;

/**
 * Entry point of {@code bin/svctoken}; {@code bin/svctoken service-tokens|users|reset-password ...} runs
 * {@link ServiceTokensTool}, {@link UsersTool} or {@link ResetPasswordTool}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && ServiceTokensTool.TOOL_NAME.equals(args[0])) {
            // svctoken service-tokens ... = bin/elasticsearch-service-tokens ...
            System.exit(new ServiceTokensTool(System.out, System.err, System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && UsersTool.TOOL_NAME.equals(args[0])) {
            // svctoken users ... = bin/elasticsearch-users ...
            System.exit(new UsersTool(Terminal.system(), System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && ResetPasswordTool.TOOL_NAME.equals(args[0])) {
            // svctoken reset-password ... = bin/elasticsearch-reset-password ...
            System.exit(new ResetPasswordTool(Terminal.system(), System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && CreateEnrollmentTokenTool.TOOL_NAME.equals(args[0])) {
            // svctoken create-enrollment-token ... = bin/elasticsearch-create-enrollment-token ...
            System.exit(new CreateEnrollmentTokenTool(Terminal.system(), System.getenv())
                    .run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && "kibana-setup".equals(args[0])) {
            // svctoken kibana-setup --enrollment-token <t>: what Kibana's setup does with the token
            System.exit(new CommandLine(new KibanaSetupCommand()).execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        ServerJvmDefaults.apply(System.getProperties()); // before any Netty class reads them
        StartWarmUp.start(); // start work that needs no settings, beside their reading (see there)
        // The usual server command line is read without picocli (see ServerArgs); picocli reads the rest, as before.
        ServerArgs read = ServerArgs.parse(args);
        int code = read != null ? new ServerCommand(read).call() : new CommandLine(new ServerCommand()).execute(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
