package io.svctoken.cli.common;

import io.svctoken.cli.CliEsMessages;

/**
 * The options Elasticsearch's environment-aware commands all take, declared first so that the tools'
 * option tables and error messages stay Elasticsearch's: {@code -E}, {@code -h}, {@code -s} and {@code -v}
 * ({@code -v} unavailable with {@code -s}). A tool whose {@code -s} means something else leaves it out.
 */
public final class StandardOptions {

    public final OptionParser parser;
    public final OptionParser.Spec settings;
    public final OptionParser.Spec help;
    /** {@code null} without {@code -s}. */
    public final OptionParser.Spec silent;
    public final OptionParser.Spec verbose;

    private StandardOptions(boolean posixlyCorrect, boolean withSilent) {
        parser = new OptionParser(posixlyCorrect);
        settings = parser.withArgument(CliEsMessages.OPTION_SETTING_DESCRIPTION, "KeyValuePair", "E");
        help = parser.helpFlag(CliEsMessages.OPTION_HELP_DESCRIPTION, "h", "help");
        silent = withSilent ? parser.flag(CliEsMessages.OPTION_SILENT_DESCRIPTION, "s", "silent") : null;
        verbose = parser.flag(CliEsMessages.OPTION_VERBOSE_DESCRIPTION, "v", "verbose");
        if (withSilent) {
            parser.unavailableWith(verbose, silent);
        }
    }

    /** {@code -E}, {@code -h}, {@code -s}, {@code -v}. */
    public static StandardOptions of(boolean posixlyCorrect) {
        return new StandardOptions(posixlyCorrect, true);
    }

    /** {@code -E}, {@code -h}, {@code -v}. */
    public static StandardOptions withoutSilent() {
        return new StandardOptions(false, false);
    }

    public boolean silent(OptionParser.Parsed parsed) {
        return silent != null && parsed.has(silent);
    }

    public boolean verbose(OptionParser.Parsed parsed) {
        return parsed.has(verbose);
    }
}
