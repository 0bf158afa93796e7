package io.svctoken.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/svctoken}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new ServerCommand()).execute(args);
        if (code != ServerCommand.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
