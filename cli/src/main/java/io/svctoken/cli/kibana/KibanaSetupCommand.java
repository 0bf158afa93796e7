package io.svctoken.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code svctoken kibana-setup --enrollment-token <t> [--out DIR]}: what Kibana's setup does with an
 * enrollment token: decode it, connect to each address with TLS pinned to
 * the token's CA fingerprint, call {@code GET /_security/enroll/kibana} with the token's API key,
 * verify the returned service token with {@code _authenticate}, then write the CA file and a
 * {@code kibana.yml} fragment.
 */
@Command(name = "kibana-setup", mixinStandardHelpOptions = true,
        description = "Enrolls a Kibana instance with an enrollment token and writes its kibana.yml settings.")
public final class KibanaSetupCommand implements Callable<Integer> {

    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-t", "--enrollment-token"}, required = true, description = "The enrollment token (from elasticsearch-create-enrollment-token -s kibana or the first-start banner).")
    String enrollmentToken;

    @Option(names = "--out", description = "Directory for kibana.yml and the CA file (default: current directory).")
    Path out = Path.of(".");

    private final PrintStream stdout;
    private final PrintStream stderr;
    private final KibanaConfigWriter writer;

    public KibanaSetupCommand() {
        this(System.out, System.err, Clock.systemUTC());
    }

    KibanaSetupCommand(PrintStream stdout, PrintStream stderr, Clock clock) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.writer = new KibanaConfigWriter(clock);
    }

    private record Answer(int status, JsonNode body) {
    }

    @Override
    public Integer call() {
        EnrollmentToken token;
        try {
            token = EnrollmentToken.decode(enrollmentToken);
        } catch (IllegalArgumentException e) {
            stderr.println(e.getMessage() + ".");
            return EXIT_USAGE;
        }
        if (token.addresses().isEmpty()) {
            stderr.println("Invalid enrollment token: it names no address.");
            return EXIT_USAGE;
        }
        try {
            writer.check(out.resolve("kibana.yml"), out);
        } catch (KibanaConfigWriter.UnusableConfigException e) {
            stderr.println(e.getMessage());
            stderr.println("Nothing was done: fix or move that file, then run kibana-setup again.");
            return EXIT_FAILURE;
        }
        List<String> unreachable = new ArrayList<>();
        for (String adr : token.addresses()) {
            URI base = URI.create("https://" + adr);
            PinnedCa trust = new PinnedCa(token.fingerprint());
            Answer enrolled;
            try {
                Secret apiKey = token.apiKeyHeaderValue();
                enrolled = get(base.resolve("/_security/enroll/kibana"), "ApiKey " + apiKey.revealAsString(SecretAccess.plaintext()), trust);
                apiKey.wipe();
            } catch (SSLHandshakeException e) {
                return fail(fingerprintProblem(e));
            } catch (ConnectException | SocketTimeoutException | UnknownHostException e) {
                unreachable.add(adr + " (" + e.getMessage() + ")");
                continue;
            } catch (IOException e) {
                return fail(e.toString());
            }
            if (enrolled.status != 200) {
                return fail(describe(enrolled));
            }
            return finish(base, trust, enrolled.body);
        }
        stderr.println("Unable to connect to any of the provided hosts: " + String.join(", ", unreachable));
        return EXIT_FAILURE;
    }

    private int finish(URI base, PinnedCa trust, JsonNode body) {
        String value = body.path("token").path("value").asText(null);
        String ca = body.path("http_ca").asText(null);
        if (value == null || ca == null) {
            return fail("the answer of /_security/enroll/kibana lacks token.value or http_ca");
        }
        try {
            Answer me = get(base.resolve("/_security/_authenticate"), "Bearer " + value, trust);
            if (me.status != 200 || !"elastic/kibana".equals(me.body.path("username").asText())) {
                return fail("the service token returned by the enrollment does not authenticate as elastic/kibana: " + describe(me));
            }
            byte[] caDer;
            try {
                caDer = Base64.getDecoder().decode(ca.replace('_', '/').replace('-', '+'));
            } catch (IllegalArgumentException e) {
                return fail("the answer of /_security/enroll/kibana holds an http_ca that is not Base64");
            }
            KibanaConfigWriter.Written w;
            try {
                w = writer.write(out.resolve("kibana.yml"), out, base.toString(), value, caDer);
            } catch (KibanaConfigWriter.UnusableConfigException e) {
                stderr.println(e.getMessage());
                stderr.println("Nothing was written. Fix or move that file, then run kibana-setup again with a new enrollment token"
                        + " (the enrollment created a service token that is not used).");
                return EXIT_FAILURE;
            }
            if (!w.overriddenKeys().isEmpty()) {
                stderr.println("Kibana configuration file has the following conflicting keys that will be overridden: ["
                        + String.join(", ", w.overriddenKeys()) + "]. The previous content is kept, commented out, at the top of "
                        + w.config() + ".");
            }
            stdout.println("Kibana configured successfully.");
            stdout.println();
            stdout.println("Settings written to " + w.config() + ", CA certificate to " + w.ca());
            return 0;
        } catch (IOException e) {
            return fail(e.toString());
        }
    }

    private int fail(String detail) {
        stderr.println("Unable to connect to Elasticsearch with the provided enrollment token: " + detail);
        stderr.println("To generate a new enrollment token run:");
        stderr.println("  bin/elasticsearch-create-enrollment-token -s kibana");
        return EXIT_FAILURE;
    }

    private static String fingerprintProblem(SSLHandshakeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(PinnedCa.MISMATCH)) {
                return PinnedCa.MISMATCH;
            }
        }
        return "TLS handshake failed: " + e.getMessage();
    }

    private static String describe(Answer a) {
        JsonNode reason = a.body == null ? null : a.body.path("error").path("reason");
        if (reason != null && reason.isTextual()) {
            String r = reason.asText();
            if (a.status == 401 && r.contains("expired")) {
                return "the enrollment token has expired (" + r + ")";
            }
            return "HTTP " + a.status + ": " + r;
        }
        return "HTTP " + a.status;
    }

    private static Answer get(URI uri, String authorization, PinnedCa trust) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection();
        try {
            SSLContext ctx = PinnedCa.context(trust);
            c.setSSLSocketFactory(ctx.getSocketFactory());
        } catch (Exception e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        // Like Kibana: trust is pinned to the CA fingerprint, so the host name is not what decides.
        c.setHostnameVerifier((host, session) -> true);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(35_000);
        c.setRequestProperty("Authorization", authorization);
        c.setRequestProperty("Accept", "application/json");
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            JsonNode body = bytes.length == 0 ? null : JSON.readTree(bytes);
            return new Answer(status, body);
        } finally {
            ((HttpURLConnection) c).disconnect();
        }
    }

}
