package io.svctoken.server.rest;

import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.RestRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.HEAD;

/**
 * The management console's static files: {@code /_svctoken/console/} (the page) and {@code /_svctoken/console/{file}},
 * read once from the jar's {@code io/svctoken/server/console/} folder. Only the names in {@link #FILES} are served, so
 * no requested name can reach another resource (a name is a map key, never a path). No credentials: the files hold
 * no data; everything the page shows comes from the authenticated APIs.
 */
public final class ConsoleAssetsEndpoints {

    static final String ACTION = "cluster:monitor/svctoken/console/asset";
    public static final String PREFIX = "/_svctoken/console";
    /** The files served, with their media types (text ones with their charset, as the browser must not guess). */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    public ConsoleAssetsEndpoints() {
        Map<String, Asset> m = new LinkedHashMap<>();
        FILES.forEach((name, type) -> m.put(name, Asset.load(name, type)));
        this.assets = Map.copyOf(m);
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(Endpoint.on(Set.of(GET, HEAD), PREFIX, PREFIX + "/{file}").anyParams()
                .parse(AssetRequest::parse)
                .access(Access.unauthenticated(ACTION))
                .execute((req, authn) -> Endpoint.done(answer(req))));
    }

    private Endpoint.Reply answer(AssetRequest req) {
        if (req.file() == null) {
            // the router strips a trailing slash, so the page's own path is told apart here: relative links need the slash
            return req.slash() ? serve(assets.get("index.html"), req) : new Redirect(PREFIX + "/");
        }
        Asset a = assets.get(req.file());
        if (a == null) {
            throw new EsException("resource_not_found_exception", 404, "console file [" + req.file() + "] not found");
        }
        return serve(a, req);
    }

    private static Endpoint.Reply serve(Asset a, AssetRequest req) {
        if (a.cached() && a.etag().equals(req.ifNoneMatch())) {
            return new File(304, a.type(), new byte[0], a.headers());
        }
        return new File(200, a.type(), a.bytes(), a.headers());
    }

    /** {@code file} null: the console's own path; {@code slash} whether it ended with one. */
    record AssetRequest(String file, boolean slash, String ifNoneMatch) implements Endpoint.Request {
        static AssetRequest parse(RestRequest r) {
            return new AssetRequest(r.param("file"), r.path().endsWith("/"), r.header("If-None-Match"));
        }
    }

    /**
     * One file, its bytes and validator. The page itself is never cached (a new release's page must name the new
     * script); the script and style sheet are revalidated on each load ({@code no-cache}) and answered 304 while unchanged.
     */
    record Asset(String type, byte[] bytes, String etag, boolean cached) {
        static Asset load(String name, String type) {
            try (InputStream in = ConsoleAssetsEndpoints.class.getResourceAsStream("/io/svctoken/server/console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console file missing from the jar: " + name);
                }
                byte[] bytes = in.readAllBytes();
                String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\"";
                return new Asset(type, bytes, etag, !name.endsWith(".html"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, List<String>> headers() {
            return cached ? Map.of("ETag", List.of(etag), "Cache-Control", List.of("no-cache")) : Map.of();
        }
    }

    record File(int status, String contentType, byte[] text, Map<String, List<String>> headers) implements Endpoint.TextReply {
    }

    record Redirect(String location) implements Endpoint.TextReply {
        @Override
        public int status() {
            return 302;
        }

        @Override
        public String contentType() {
            return "text/plain; charset=utf-8";
        }

        @Override
        public byte[] text() {
            return new byte[0];
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of("Location", List.of(location));
        }
    }
}
