package io.svctoken.cli;

import io.svctoken.cli.tokens.ServiceTokensTool;
import picocli.CommandLine;

import java.util.Arrays;

/** Entry point of {@code bin/svctoken}; {@code bin/svctoken service-tokens ...} runs {@link ServiceTokensTool}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && ServiceTokensTool.TOOL_NAME.equals(args[0])) {
            // svctoken service-tokens ... = bin/elasticsearch-service-tokens ...
            System.exit(new ServiceTokensTool(System.out, System.err, System.getenv()).run(Arrays.copyOfRange(args, 1, args.length)));
        }
        int code = new CommandLine(new ServerCommand()).execute(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
