package io.svctoken.server;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.tls.HttpTls;

import java.io.Console;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The box Elasticsearch prints after a first start with security auto-configuration
 * ({@code InitialNodeSecurityAutoConfiguration}): the generated {@code elastic}
 * password, the HTTP CA fingerprint and the Kibana enrollment token, with Elasticsearch's texts. Emoji and
 * box-drawing glyphs when the console (else stdout) encodes UTF-8/16, Elasticsearch's ASCII fallbacks
 * otherwise. No ANSI bold (the output often ends up in log files).
 *
 * <p>svctoken is a single node, so Elasticsearch's "Configure other nodes to join this cluster" block is
 * left out. When HTTPS is off the second line says so instead of claiming encryption, and the Kibana
 * block (enrollment needs HTTPS) is left out.
 */
final class FirstStartBanner {

    static final String KIBANA_TOKEN_FAILED = "Unable to generate an enrollment token for Kibana instances, try invoking"
            + " `bin/elasticsearch-create-enrollment-token -s kibana`.";
    private static final Set<Charset> UNICODE_CHARSETS = Set.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16, StandardCharsets.UTF_16LE,
            StandardCharsets.UTF_16BE);

    private FirstStartBanner() {
    }

    /** The glyphs of one rendering. */
    record Glyphs(String info, String bullet, String error, String success, String border) {
        static final Glyphs UNICODE = new Glyphs("\u2139\uFE0F", "\u2022", "\u274C", "\u2705", "\u2501");
        static final Glyphs ASCII = new Glyphs("->", "*", "X", "->", "-");

        /** Unicode when {@code System.console()}'s charset, else stdout's encoding, is UTF-8 or UTF-16. */
        static Glyphs forConsole() {
            return UNICODE_CHARSETS.contains(consoleCharset()) ? UNICODE : ASCII;
        }
    }

    static Charset consoleCharset() {
        Console console = System.console();
        if (console != null) {
            return console.charset();
        }
        for (String property : List.of("stdout.encoding", "sun.stdout.encoding")) {
            String name = System.getProperty(property);
            if (name != null) {
                try {
                    return Charset.forName(name);
                } catch (RuntimeException ignored) {
                    // unknown name: try the next
                }
            }
        }
        return Charset.defaultCharset();
    }

    /** Whether a start prints the banner: it generated the password or the HTTPS material. */
    static boolean applies(Optional<Secret> generatedPassword, HttpTls tls) {
        return generatedPassword.isPresent() || tls.source() == HttpTls.Source.GENERATED;
    }

    /**
     * Prints the banner and wipes the password.
     *
     * @param enrollment            {@code xpack.security.enrollment.enabled}: without it there is no Kibana block
     * @param kibanaEnrollmentToken the encoded Kibana enrollment token, empty when none could be made
     */
    static void print(PrintStream out, Glyphs g, int width, Optional<Secret> generatedPassword, HttpTls tls,
                      boolean enrollment, Supplier<Optional<String>> kibanaEnrollmentToken) {
        print(out, g, width, generatedPassword, tls, enrollment, kibanaEnrollmentToken, Optional.empty());
    }

    /** As above, with svctoken's management console's address ({@code Console: <url>}) when it is served. */
    static void print(PrintStream out, Glyphs g, int width, Optional<Secret> generatedPassword, HttpTls tls,
                      boolean enrollment, Supplier<Optional<String>> kibanaEnrollmentToken, Optional<String> consoleUrl) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append(nl).append(g.border().repeat(width)).append(nl);
        b.append(g.success()).append(" Elasticsearch security features have been automatically configured!").append(nl);
        if (tls.enabled()) {
            b.append(g.success()).append(" Authentication is enabled and cluster connections are encrypted.").append(nl);
        } else {
            b.append(g.success()).append(" Authentication is enabled.").append(nl);
            b.append(g.info()).append("  HTTPS is off ([xpack.security.http.ssl.enabled] is false): HTTP API connections are not encrypted.")
                    .append(nl);
        }
        b.append(nl);
        if (generatedPassword.isPresent()) {
            b.append(g.info()).append("  Password for the elastic user (reset with `bin/elasticsearch-reset-password -u elastic`):").append(nl);
            b.append("  ").append(generatedPassword.get().revealAsString(SecretAccess.plaintext())).append(nl).append(nl);
        }
        Optional<String> fingerprint = tls.httpCaFingerprint();
        if (fingerprint.isPresent()) {
            b.append(g.info()).append("  HTTP CA certificate SHA-256 fingerprint:").append(nl);
            b.append("  ").append(fingerprint.get()).append(nl).append(nl);
        }
        if (consoleUrl.isPresent()) {
            // svctoken's own line: its management console, signed in to as elastic
            b.append(g.info()).append("  Console: ").append(consoleUrl.get()).append(nl).append(nl);
        }
        if (tls.enabled() && enrollment) {
            Optional<String> token = kibanaEnrollmentToken.get();
            if (token.isPresent()) {
                b.append(g.info()).append("  Configure Kibana to use this cluster:").append(nl);
                b.append(g.bullet()).append(" Run Kibana and click the configuration link in the terminal when Kibana starts.").append(nl);
                b.append(g.bullet()).append(" Copy the following enrollment token and paste it into Kibana in your browser")
                        .append(" (valid for the next 30 minutes):").append(nl);
                b.append("  ").append(token.get()).append(nl);
            } else {
                b.append(g.error()).append(' ').append(KIBANA_TOKEN_FAILED).append(nl);
            }
            b.append(nl);
        }
        b.append(g.border().repeat(width)).append(nl);
        out.print(b);
        out.flush();
        generatedPassword.ifPresent(Secret::wipe);
    }

    /** The console width: {@code $COLUMNS} when exported, else 80. */
    static int width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                int c = Integer.parseInt(columns.trim());
                if (c >= 40 && c <= 400) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 80;
    }
}
