package io.svctoken.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerArgs} against picocli on the same argument lists: a list read without picocli means what picocli reads
 * from it, and the usual forms ({@code -E k=v}, {@code -Ek=v}, {@code -d}, {@code -p <path>}, long forms) are read
 * without it. Lists it does not read go to picocli, which keeps its own messages and exit codes for them.
 */
class ServerArgsProperties {

    private static final List<String> WORDS = List.of("-E", "-Ek=v", "-E=k=v", "-Enode.name=a", "-E_x", "-E-x", "-E@f", "-E", "-d",
            "--daemonize", "--daemonize=true", "-d=false", "-dE", "-dEk=v", "-p", "--pidfile", "--pidfile=", "--pidfile=/tmp/x.pid", "-pfoo",
            "-p=foo", "-h", "--help", "-V", "--version", "--", "-", "-x", "--nope", "", " ", "k=v", "http.port=9200", "node.name=a b",
            "a=-d", "@args", "@", "=", "'q'", "\"q\"", "x\u0000y", "/tmp/p.pid", "rel/p.pid", "-Ed", "-Ep", "-E--version", "svctoken",
            "service-tokens", "\u00e9=\u00e8");

    @Property(tries = 3000)
    void whatIsReadWithoutPicocliIsWhatPicocliReads(@ForAll("anyArguments") List<String> args) {
        ServerArgs mine = ServerArgs.parse(args.toArray(String[]::new));
        if (mine == null) {
            return; // picocli reads it, as before
        }
        assertThat(picocli(args)).as("%s", args).isEqualTo(mine);
    }

    @Property(tries = 1000)
    void theUsualFormsAreReadWithoutPicocli(@ForAll("usualArguments") List<String> args) {
        ServerArgs mine = ServerArgs.parse(args.toArray(String[]::new));
        assertThat(mine).as("%s", args).isNotNull().isEqualTo(picocli(args));
    }

    @Example
    void helpVersionAndMistakesAreLeftToPicocli() {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"), List.of("-E"),
                List.of("-x"), List.of("extra"), List.of("-d", "-d"), List.of("-p", "a", "-p", "b"), List.of("-E", "-d"),
                List.of("-E", "@file"), List.of("-p", "a\u0000b"), List.of("-dEk=v"))) {
            assertThat(ServerArgs.parse(args.toArray(String[]::new))).as("%s", args).isNull();
        }
    }

    @Example
    void noArgumentsMeanNoSettings() {
        assertThat(ServerArgs.parse(new String[0])).isEqualTo(new ServerArgs(List.of(), false, null));
    }

    /** What picocli made of the list for the server command, or null when it refused it or was asked for help or the version. */
    private static ServerArgs picocli(List<String> args) {
        ServerCommand cmd = new ServerCommand();
        try {
            CommandLine.ParseResult r = new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return null;
            }
        } catch (CommandLine.ParameterException e) {
            return null;
        }
        return new ServerArgs(List.copyOf(cmd.settings), cmd.daemonize, cmd.pidFile);
    }

    @Provide
    Arbitrary<List<String>> anyArguments() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of(WORDS),
                Arbitraries.strings().withChars("-=@Edp./ak\u00e9").ofMaxLength(6));
        return word.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> usualArguments() {
        Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').withChars("._").ofMinLength(1).ofMaxLength(12)
                .filter(k -> Character.isLetter(k.charAt(0)));
        Arbitrary<String> value = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12);
        Arbitrary<String> setting = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        Arbitrary<List<String>> settings = Combinators.combine(setting, Arbitraries.of(true, false))
                .as((s, attached) -> attached ? List.of("-E" + s) : List.of("-E", s)).list().ofMaxSize(5)
                .map(l -> l.stream().flatMap(List::stream).toList());
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').withChars("/._").ofMinLength(1).ofMaxLength(10)
                .filter(p -> Character.isLetter(p.charAt(0)) || p.charAt(0) == '/' || p.charAt(0) == '.');
        Arbitrary<List<String>> pid = Combinators.combine(path, Arbitraries.of("-p", "--pidfile", "--pidfile="))
                .as((p, form) -> form.endsWith("=") ? List.of(form + p) : List.of(form, p));
        Arbitrary<List<String>> daemon = Arbitraries.of(List.of("-d"), List.of("--daemonize"));
        return Combinators.combine(settings, pid.injectNull(0.5), daemon.injectNull(0.5), Arbitraries.integers().between(0, 2))
                .as((s, p, d, where) -> {
                    List<String> all = new ArrayList<>(s);
                    // -d and -p go before, between or after the settings
                    int at = where == 0 ? 0 : where == 1 ? all.size() / 2 / 2 * 2 : all.size();
                    at = safeSplit(s, at);
                    if (p != null) {
                        all.addAll(at, p);
                    }
                    if (d != null) {
                        all.addAll(at, d);
                    }
                    return all;
                });
    }

    /** A position in the settings list that does not split {@code -E} from its value. */
    private static int safeSplit(List<String> settings, int at) {
        while (at > 0 && at < settings.size() && settings.get(at - 1).equals("-E")) {
            at++;
        }
        return at;
    }

    @Example
    void pidFileIsThePathPicocliMakes() {
        assertThat(ServerArgs.parse(new String[]{"--pidfile=run/x.pid"}).pidFile()).isEqualTo(Path.of("run/x.pid"));
    }
}
