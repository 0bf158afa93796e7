package io.svctoken.cli.tokens;

import java.io.PrintStream;

/**
 * Output with Elasticsearch's verbosity rules: ordinary lines are dropped in silent mode (so is the
 * token printed by {@code create}, as in Elasticsearch), errors and attribute warnings are always
 * printed, verbose lines only with {@code -v}.
 */
public final class Terminal {

    private final PrintStream out;
    private final PrintStream err;
    private boolean silent;
    private boolean verbose;

    public Terminal(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void setVerbosity(boolean silent, boolean verbose) {
        this.silent = silent;
        this.verbose = verbose && !silent;
    }

    public boolean isVerbose() {
        return verbose;
    }

    /** stdout, normal verbosity. */
    public void println(String line) {
        if (!silent) {
            out.println(line);
        }
    }

    /** stderr, normal verbosity. */
    public void errorPrintln(String line) {
        if (!silent) {
            err.println(line);
        }
    }

    /** stderr at every verbosity (errors, attribute warnings). */
    public void errorPrintlnAlways(String line) {
        err.println(line);
    }

    /** stderr, only with {@code -v}. */
    public void verboseErrorPrintln(String line) {
        if (verbose) {
            err.println(line);
        }
    }

    PrintStream err() {
        return err;
    }

    void flush() {
        out.flush();
        err.flush();
    }
}
