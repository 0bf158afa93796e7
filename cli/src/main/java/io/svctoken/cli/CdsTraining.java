package io.svctoken.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The training run behind bin/svctoken-cds: starts the server in this JVM exactly as {@link Main} does (same
 * classpath, same settings path), sends the requests a client starts with ({@code GET /}, a token creation,
 * {@code _authenticate} with that token), then {@code GET /} on a second node on plain HTTP (its data directory
 * beside the first, {@code <data>-http}, emptied first: a first start), with and without compression, and exits.
 * Run with {@code -XX:ArchiveClassesAtExit}, the JVM then
 * writes the classes this loaded into an archive that bin/svctoken maps at start instead of loading them from
 * the jars again. Not a user command: its output only says what happened.
 *
 * <p>Environment: {@code ES_PATH_CONF} and {@code ELASTIC_PASSWORD} as for the server (set by the script);
 * arguments: the data directory. Exit 0 when every request answered as expected, 1 otherwise.
 */
public final class CdsTraining {

    private static final int START_TIMEOUT_MS = 120_000;

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        String password = System.getenv("ELASTIC_PASSWORD");
        if (args.length != 1 || password == null || System.getenv("ES_PATH_CONF") == null) {
            System.err.println("usage: ES_PATH_CONF=<dir> ELASTIC_PASSWORD=<pw> CdsTraining <data dir>");
            System.exit(2);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String[] serverArgs = {"-E", "http.host=127.0.0.1", "-E", "http.port=" + port, "-E", "path.data=" + args[0],
                "-E", "node.name=cds-training"};
        Thread server = new Thread(() -> Main.main(serverArgs), "cds-training-server");
        server.setDaemon(true);
        server.start();
        awaitListening(port, server);
        String base = "https://localhost:" + port;
        String basic = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + password).getBytes(StandardCharsets.UTF_8));
        boolean ok = request("GET", base + "/", basic, null).startsWith("200");
        String created = request("POST", base + "/_security/service/elastic/fleet-server/credential/token/cds-" + System.nanoTime(), basic, null);
        ok &= created.startsWith("200");
        int at = created.indexOf("\"value\":\"");
        if (at >= 0) {
            String bearer = created.substring(at + 9, created.indexOf('"', at + 9));
            ok &= request("GET", base + "/_security/_authenticate", "Bearer " + bearer, null).startsWith("200");
        } else {
            ok = false;
        }
        // A second node of this JVM on plain HTTP (its own data directory beside the first): what a node without
        // HTTPS loads and the HTTPS one does not, the response compression first of all, is archived too.
        int plainPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            plainPort = s.getLocalPort();
        }
        // Emptied first: in every run this node's start is a first start (the schema created, the elastic user's
        // password set), so what a first start loads is archived as well as what the restart above loads.
        Path plainData = Path.of(args[0]).toAbsolutePath().resolveSibling(Path.of(args[0]).getFileName() + "-http");
        deleteTree(plainData);
        String[] plainArgs = {"-E", "http.host=127.0.0.1", "-E", "http.port=" + plainPort, "-E", "path.data=" + plainData,
                "-E", "node.name=cds-training-http", "-E", "xpack.security.http.ssl.enabled=false"};
        Thread plain = new Thread(() -> Main.main(plainArgs), "cds-training-server-http");
        plain.setDaemon(true);
        plain.start();
        awaitListening(plainPort, plain);
        String plainBase = "http://127.0.0.1:" + plainPort;
        ok &= request("GET", plainBase + "/", basic, null).startsWith("200");
        ok &= request("GET", plainBase + "/", basic, "gzip").startsWith("200");
        System.out.println("cds training: " + (ok ? "done" : "a request failed (see above)"));
        // The shutdown hook closes the node; the JVM writes the archive after it.
        System.exit(ok ? 0 : 1);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void awaitListening(int port, Thread server) throws InterruptedException {
        long end = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (!server.isAlive()) {
                System.err.println("cds training: the server did not start");
                System.exit(1);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        System.err.println("cds training: the server did not listen within " + START_TIMEOUT_MS + " ms");
        System.exit(1);
    }

    /**
     * Returns "status body"; any certificate is accepted (this only talks to the server it just started).
     * {@code acceptEncoding}: the Accept-Encoding header, or null for none.
     */
    private static String request(String method, String url, String authorization, String acceptEncoding) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            if (c instanceof HttpsURLConnection https) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[]{new TrustAll()}, new SecureRandom());
                https.setSSLSocketFactory(ctx.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setRequestMethod(method);
            c.setRequestProperty("Authorization", authorization);
            if (acceptEncoding != null) {
                c.setRequestProperty("Accept-Encoding", acceptEncoding);
            }
            c.setConnectTimeout(10_000);
            c.setReadTimeout(60_000);
            if (method.equals("POST")) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.flush();
                }
            }
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            System.out.println("cds training: " + method + " " + url.replaceFirst("/token/.*", "/token/...") + " -> " + status);
            return status + " " + body;
        } catch (Exception e) {
            System.out.println("cds training: " + method + " " + url + " failed: " + e);
            return "000 " + e;
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
