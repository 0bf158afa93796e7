package io.svctoken.cli.common;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** jopt-simple's command-line rules as the tools rely on them. */
class OptionParserTest {

    private final OptionParser parser = new OptionParser(false);
    private final OptionParser.Spec silent = parser.flag("Show minimal output", "s", "silent");
    private final OptionParser.Spec verbose = parser.flag("Show verbose output", "v", "verbose");
    private final OptionParser.Spec password = parser.withArgument("The user password", "String", "p", "password");
    private final OptionParser.Spec url = parser.withArgument("the URL", "String", "url");
    private final OptionParser.Spec user = parser.withArgument("user", "String", "u", "username");

    @Test
    void shortLongAttachedAndClusteredForms() throws CliException {
        assertThat(parser.parse(List.of("-p", "a")).valueOf(password)).isEqualTo("a");
        assertThat(parser.parse(List.of("-pX")).valueOf(password)).isEqualTo("X");
        assertThat(parser.parse(List.of("-p=a")).valueOf(password)).isEqualTo("a");
        assertThat(parser.parse(List.of("--password", "a")).valueOf(password)).isEqualTo("a");
        assertThat(parser.parse(List.of("--password=a=b")).valueOf(password)).isEqualTo("a=b");
        assertThat(parser.parse(List.of("-p", "-s")).valueOf(password)).as("the next token is the value, whatever it looks like").isEqualTo("-s");
        OptionParser.Parsed cluster = parser.parse(List.of("-svpX"));
        assertThat(cluster.has(silent)).isTrue();
        assertThat(cluster.has(verbose)).isTrue();
        assertThat(cluster.valueOf(password)).isEqualTo("X");
    }

    @Test
    void uniqueAbbreviationsOfAnyNameAndExactNamesFirst() throws CliException {
        assertThat(parser.parse(List.of("--pass", "a")).valueOf(password)).isEqualTo("a");
        assertThat(parser.parse(List.of("--url", "x")).valueOf(url)).isEqualTo("x");
        assertThat(parser.parse(List.of("--u", "x")).valueOf(user)).as("exact short name u").isEqualTo("x");
        assertThat(parser.parse(List.of("-url", "x")).valueOf(url)).as("a long name after one dash").isEqualTo("x");
        assertThatThrownBy(() -> parser.parse(List.of("--us2", "x"))).hasMessage("us2 is not a recognized option");
        // jopt-simple's quirk: after one dash, an abbreviation of a long name wins over a cluster
        assertThat(parser.parse(List.of("-pa", "x")).valueOf(password)).isEqualTo("x");
    }

    @Test
    void nonOptionsAnywhereOrAfterTheFirstWhenPosixlyCorrect() throws CliException {
        assertThat(parser.parse(List.of("bob", "-s", "alice", "--", "-v")).nonOptions()).containsExactly("bob", "alice", "-v");
        OptionParser posix = new OptionParser(true);
        OptionParser.Spec s = posix.flag("", "s");
        OptionParser.Parsed parsed = posix.parse(List.of("-s", "list", "-s", "bob"));
        assertThat(parsed.has(s)).isTrue();
        assertThat(parsed.nonOptions()).containsExactly("list", "-s", "bob");
    }

    @Test
    void joptSimpleMessages() {
        assertThatThrownBy(() -> parser.parse(List.of("-sx"))).hasMessage("x is not a recognized option");
        assertThatThrownBy(() -> parser.parse(List.of("--password"))).hasMessage("Option p/password requires an argument");
        assertThatThrownBy(() -> parser.parse(List.of("-p", "a", "-pb")).valueOf(password))
                .hasMessage("Found multiple arguments for option p/password, but you asked for only one");
        OptionParser required = new OptionParser(false);
        required.requiredWithArgument("", "String", "u", "username");
        assertThatThrownBy(() -> required.parse(List.of())).isInstanceOf(CliException.class)
                .hasMessage("Missing required option(s) [u/username]")
                .satisfies(e -> assertThat(((CliException) e).isOptionError()).isTrue());
        parser.unavailableWith(verbose, silent);
        assertThatThrownBy(() -> parser.parse(List.of("-v", "-s")))
                .hasMessage("Option(s) [v/verbose] are unavailable given other options on the command line");
    }

    @Test
    void helpLaysOutLikeJoptSimple() {
        OptionParser p = new OptionParser(false);
        p.flag("Show help", "h", "help");
        p.withArgumentDefault("Comma-separated list of the roles of the user", "String", "", "r", "roles");
        p.withArgument("Configure a setting", "KeyValuePair", "E");
        p.nonOptions("username");
        assertThat(p.help()).isEqualTo(String.join(System.lineSeparator(),
                "Non-option arguments:",
                "username",
                "",
                "Option                Description",
                "------                -----------",
                "-E <KeyValuePair>     Configure a setting",
                "-h, --help            Show help",
                "-r, --roles <String>  Comma-separated list of the roles of the user (default: )",
                ""));
    }
}
