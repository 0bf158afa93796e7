package io.svctoken.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The security headers of every answer under the management console's prefix (pages, sessions, errors), added in one
 * place by {@link RestDispatcher}: a Content-Security-Policy without inline script or style, no sniffing, no framing,
 * no referrer, no caching (unless the answer chose its own {@code Cache-Control}), isolation from other origins, and
 * HSTS over HTTPS. A {@code WWW-Authenticate} challenge is dropped there: a browser would answer it with its own
 * password dialog instead of the console's sign-in.
 */
public final class ConsoleHeaders {

    public static final String PREFIX = "/_svctoken/console";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ConsoleHeaders() {
    }

    static boolean applies(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    static RestResponse add(RestResponse r, boolean https) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        boolean cacheControl = false;
        for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase("WWW-Authenticate")) {
                continue;
            }
            cacheControl |= e.getKey().equalsIgnoreCase("Cache-Control");
            h.put(e.getKey(), e.getValue());
        }
        h.put("Content-Security-Policy", List.of(CSP));
        h.put("X-Content-Type-Options", List.of("nosniff"));
        h.put("X-Frame-Options", List.of("DENY"));
        h.put("Referrer-Policy", List.of("no-referrer"));
        if (!cacheControl) {
            h.put("Cache-Control", List.of("no-store"));
        }
        h.put("Cross-Origin-Opener-Policy", List.of("same-origin"));
        h.put("Cross-Origin-Resource-Policy", List.of("same-origin"));
        h.put("Permissions-Policy", List.of("camera=(), microphone=(), geolocation=()"));
        if (https) {
            h.put("Strict-Transport-Security", List.of("max-age=31536000"));
        }
        return new RestResponse(r.status(), r.body(), h, r.text());
    }
}
