package io.svctoken.server.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers a proxy must not pass on (RFC 9110 section 7.6.1: {@code Connection} and every header it names,
 * {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding} (the message is re-framed),
 * {@code Upgrade}, {@code Proxy-*}), and, toward the upstream, the caller's credentials, which svctoken
 * has checked and the upstream must never see: the console's {@code svctoken_session} cookie too (the other cookies pass).
 */
final class ProxyHeaders {

    static final String PRODUCT_HEADER = "X-elastic-product";
    static final String PRODUCT = "Elasticsearch";

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade");
    /** Credentials Elasticsearch reads: the caller's, a secondary user's, run-as, a client's JWT authentication. */
    private static final Set<String> CREDENTIALS = Set.of("authorization", "es-secondary-authorization", "es-security-runas-user",
            "es-client-authentication");
    /** The management console's session cookie: svctoken's own credential, never the upstream's to see. */
    private static final String SESSION_COOKIE = "svctoken_session";
    /** Answered here ({@code Expect}) or set for the upstream ({@code Host}). */
    private static final Set<String> REQUEST_OWN = Set.of("host", "expect");

    private ProxyHeaders() {
    }

    /** The caller's end-to-end headers for the upstream: no hop-by-hop header, no credentials, no Host or Expect. */
    static void copyRequest(HttpHeaders from, HttpHeaders to) {
        copy(from, to, true);
    }

    /** The upstream's end-to-end headers for the caller, without its own product header. */
    static void copyResponse(HttpHeaders from, HttpHeaders to) {
        copy(from, to, false);
    }

    /** A {@code Cookie} header's value without the session cookie (the others in their order, "; "-separated). */
    static String withoutSessionCookie(String cookies) {
        if (!cookies.contains(SESSION_COOKIE)) {
            return cookies;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : cookies.split(";")) {
            String p = pair.trim();
            if (p.isEmpty() || p.startsWith(SESSION_COOKIE + "=")) {
                continue;
            }
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(p);
        }
        return out.toString();
    }

    private static void copy(HttpHeaders from, HttpHeaders to, boolean request) {
        Set<String> named = null;
        for (String c : from.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : c.split(",")) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || name.startsWith("proxy-") || named != null && named.contains(name)) {
                continue;
            }
            if (request ? CREDENTIALS.contains(name) || REQUEST_OWN.contains(name) : name.equals("x-elastic-product")) {
                continue;
            }
            if (request && name.equals("cookie")) {
                String rest = withoutSessionCookie(h.getValue());
                if (!rest.isEmpty()) {
                    to.add(h.getKey(), rest);
                }
                continue;
            }
            to.add(h.getKey(), h.getValue());
        }
    }
}
