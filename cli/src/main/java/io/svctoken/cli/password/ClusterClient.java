package io.svctoken.cli.password;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.tls.AutoConfiguredTls;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP side of the tools that act on a running node (Elasticsearch's {@code CommandLineHttpClient}):
 * one request with Basic authentication and a JSON body, the status and the parsed JSON answer back.
 * The node is reached over plain HTTP today; an {@code https} URL uses {@link #sslContext}, the one
 * place where the node's CA (e.g. {@code xpack.security.http.ssl.certificate_authorities}) will be
 * trusted once svctoken serves TLS.
 */
final class ClusterClient {

    /** Elasticsearch waits 35 s for an answer (longer than a master election). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(35);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A status and the answer's JSON ({@code null} when the body is empty or not JSON). */
    record Response(int status, JsonNode body) {
    }

    private final URI base;
    private final HttpClient http;

    ClusterClient(URI base, SSLContext sslContext) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            b.sslContext(sslContext);
        }
        this.http = b.build();
    }

    /** The TLS trust for {@code https} URLs: the JVM's default trust store until svctoken serves TLS with its own CA. */
    static SSLContext sslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses {@code --url} as Elasticsearch does ({@code new URL(...)}, so {@code foo} fails with
     * {@code no protocol: foo}); only {@code http} and {@code https} are accepted.
     */
    /**
     * Trust for svctoken's own HTTPS: the auto-configured CA at {@code <config>/certs/http_ca.crt} when it
     * exists (the tools run on the node's machine), else the JVM's default trust store.
     */
    static SSLContext sslContext(Path configDir) {
        Path ca = AutoConfiguredTls.caFile(configDir);
        if (!Files.isReadable(ca)) {
            return sslContext();
        }
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the HTTP CA certificate [" + ca + "]: " + e.getMessage(), e);
        }
    }

    static URI parseUrl(String url) throws MalformedURLException, URISyntaxException {
        URL u = new URL(url);
        String scheme = u.getProtocol();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new MalformedURLException("unsupported protocol: " + scheme);
        }
        return u.toURI();
    }

    URI base() {
        return base;
    }

    /** {@code path} (segments already encoded) below the base URL, with {@code ?pretty} as Elasticsearch's tools ask. */
    URI resolve(String path) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        if (!basePath.endsWith("/")) {
            basePath += "/";
        }
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + (basePath + path).replaceAll("/+", "/") + "?pretty");
    }

    static String encodeSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends one request.
     *
     * @param body JSON, or {@code null} for none
     * @throws IOException when the node cannot be reached or the connection fails
     */
    Response execute(String method, URI uri, String user, Secret password, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(READ_TIMEOUT)
                .header("Authorization", basicAuth(user, password))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json = null;
        if (response.body() != null && !response.body().isBlank()) {
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                json = null; // not JSON: no cause to report
            }
        }
        return new Response(response.statusCode(), json);
    }

    /** Elasticsearch's {@code getErrorCause}: {@code error.reason}, else the root cause's reason or type, else {@code error.type}. */
    static String errorCause(Response response) {
        JsonNode error = response.body() == null ? null : response.body().get("error");
        if (error == null || error.isNull()) {
            return null;
        }
        if (!error.isObject()) {
            return error.asText();
        }
        if (error.hasNonNull("reason")) {
            return error.get("reason").asText();
        }
        JsonNode root = error.get("root_cause");
        if (root != null && root.isObject()) {
            if (root.hasNonNull("reason")) {
                return root.get("reason").asText();
            }
            if (root.hasNonNull("type")) {
                return root.get("type").asText();
            }
        }
        return String.valueOf(error.hasNonNull("type") ? error.get("type").asText() : null);
    }

    static String passwordBody(Secret password) {
        return JSON.createObjectNode().put("password", password.revealAsString(SecretAccess.plaintext())).toString();
    }

    private static String basicAuth(String user, Secret password) {
        byte[] userBytes = (user + ":").getBytes(StandardCharsets.UTF_8);
        byte[] passwordBytes = password.utf8Bytes(SecretAccess.plaintext());
        byte[] all = Arrays.copyOf(userBytes, userBytes.length + passwordBytes.length);
        System.arraycopy(passwordBytes, 0, all, userBytes.length, passwordBytes.length);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(all);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            Arrays.fill(all, (byte) 0);
        }
    }
}
