package io.svctoken.cli.common;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Output with Elasticsearch's verbosity rules: ordinary lines are dropped in silent mode (so is the
 * token printed by {@code create}, as in Elasticsearch), errors and attribute warnings are always
 * printed, verbose lines only with {@code -v}.
 *
 * <p>Input as Elasticsearch's {@code Terminal.DEFAULT}: with a console ({@link System#console()}) the
 * prompt goes to it and secrets are read without echo; without one (input or output redirected, as in
 * scripts and tests) the prompt goes to stderr, without a line break, and one line is read from stdin.
 * End of input is Elasticsearch's {@code IllegalStateException}.
 */
public final class Terminal {

    /** Elasticsearch's text when stdin ends before an answer was read. */
    public static final String NO_INPUT = "unable to read from standard input; is standard input open and a tty attached?";

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Console console;
    private BufferedReader reader;
    private boolean silent;
    private boolean verbose;

    /** Output only; reading answers fails as at the end of input. */
    public Terminal(PrintStream out, PrintStream err) {
        this(out, err, InputStream.nullInputStream(), null);
    }

    /**
     * @param console where prompts go and answers come from when not {@code null}; else prompts to
     *                {@code err} and lines from {@code in}
     */
    public Terminal(PrintStream out, PrintStream err, InputStream in, Console console) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.console = console;
    }

    /** The process's terminal: the console when there is one, else stdin/stdout/stderr. */
    public static Terminal system() {
        return new Terminal(System.out, System.err, System.in, System.console());
    }

    public void setVerbosity(boolean silent, boolean verbose) {
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

    /** stdout, normal verbosity, no line break. */
    public void print(String text) {
        if (!silent) {
            out.print(text);
            out.flush();
        }
    }

    /** stdout at every verbosity (what the command exists to print, e.g. a generated password). */
    public void printlnAlways(String line) {
        out.println(line);
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

    /** stdout, only with {@code -v}. */
    public void verbosePrintln(String line) {
        if (verbose) {
            out.println(line);
        }
    }

    /**
     * Reads a secret: without echo from the console, else a line of stdin after the prompt on stderr.
     *
     * @throws IllegalStateException {@value #NO_INPUT} at the end of input
     */
    public char[] readSecret(String prompt) {
        if (console != null) {
            out.flush();
            char[] answer = console.readPassword("%s", prompt);
            if (answer == null) {
                throw new IllegalStateException(NO_INPUT);
            }
            return answer;
        }
        return readText(prompt).toCharArray();
    }

    /**
     * Reads one line of text (see {@link #readSecret}).
     *
     * @throws IllegalStateException {@value #NO_INPUT} at the end of input
     */
    public String readText(String prompt) {
        out.flush();
        if (console != null) {
            String answer = console.readLine("%s", prompt);
            if (answer == null) {
                throw new IllegalStateException(NO_INPUT);
            }
            return answer;
        }
        // Prompts go to stderr so that they never mix with what a command prints on stdout.
        err.print(prompt);
        err.flush();
        try {
            String line = reader().readLine();
            if (line == null) {
                throw new IllegalStateException(NO_INPUT);
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Elasticsearch's {@code promptYesNo}: {@code prompt [y/N]} (or {@code [Y/n]}) until {@code y},
     * {@code n} or an empty answer (the default).
     */
    public boolean promptYesNo(String prompt, boolean defaultYes) {
        String answerPrompt = defaultYes ? " [Y/n]" : " [y/N]";
        while (true) {
            String answer = readText(prompt + answerPrompt);
            if (answer.isEmpty()) {
                return defaultYes;
            }
            answer = answer.toLowerCase(Locale.ROOT);
            boolean yes = answer.equals("y");
            if (!yes && !answer.equals("n")) {
                errorPrintln("Did not understand answer '" + answer + "'");
                continue;
            }
            return yes;
        }
    }

    private BufferedReader reader() {
        if (reader == null) {
            // A one-char buffer, as Elasticsearch's: nothing beyond the line is taken from stdin.
            reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()), 1);
        }
        return reader;
    }

    public PrintStream err() {
        return err;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
