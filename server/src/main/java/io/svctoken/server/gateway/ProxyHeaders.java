package io.svctoken.server.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
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
    private static final AsciiString PRODUCT_NAME = AsciiString.cached(PRODUCT_HEADER); // compared ignoring case

    private static final AsciiString[] HOP_BY_HOP_NAMES = names("connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade");
    private static final String PROXY_ = "proxy-";
    /** Credentials Elasticsearch reads: the caller's, a secondary user's, run-as, a client's JWT authentication. */
    private static final AsciiString[] CREDENTIAL_NAMES = names("authorization", "es-secondary-authorization", "es-security-runas-user",
            "es-client-authentication");
    /** The management console's session cookie: svctoken's own credential, never the upstream's to see. */
    private static final String SESSION_COOKIE = "svctoken_session";
    /** Answered here ({@code Expect}) or set for the upstream ({@code Host}). */
    private static final AsciiString[] REQUEST_OWN_NAMES = names("host", "expect");

    private ProxyHeaders() {
    }

    private static AsciiString[] names(String... lower) {
        AsciiString[] out = new AsciiString[lower.length];
        for (int i = 0; i < lower.length; i++) {
            out[i] = AsciiString.cached(lower[i]);
        }
        return out;
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

    /**
     * The upstream's answer head made the caller's in place: its hop-by-hop headers and product header removed (the
     * others stay as they came, in their order), instead of copied into a new head.
     */
    static void stripResponse(HttpHeaders headers) {
        Set<String> named = connectionNamed(headers);
        List<CharSequence> drop = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (hopByHop(name, named) || AsciiString.contentEqualsIgnoreCase(name, PRODUCT_NAME)) {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(name);
            }
        }
        if (drop != null) {
            for (CharSequence name : drop) {
                headers.remove(name);
            }
        }
    }

    /** The names the {@code Connection} header lists, lower case; null when there is none (most messages). */
    private static Set<String> connectionNamed(HttpHeaders from) {
        if (!from.contains(HttpHeaderNames.CONNECTION)) {
            return null;
        }
        Set<String> named = null;
        for (String c : from.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : c.split(",")) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return named;
    }

    /** Whether {@code name} is hop-by-hop (RFC 9110 section 7.6.1): compared ignoring case, without a lower-case copy. */
    private static boolean hopByHop(CharSequence name, Set<String> named) {
        if (oneOf(name, HOP_BY_HOP_NAMES)) {
            return true;
        }
        if (name.length() >= PROXY_.length() && AsciiString.regionMatches(name, true, 0, PROXY_, 0, PROXY_.length())) {
            return true;
        }
        return named != null && named.contains(name.toString().toLowerCase(Locale.ROOT));
    }

    private static boolean oneOf(CharSequence name, AsciiString[] names) {
        for (AsciiString n : names) {
            if (AsciiString.contentEqualsIgnoreCase(name, n)) {
                return true;
            }
        }
        return false;
    }

    private static void copy(HttpHeaders from, HttpHeaders to, boolean request) {
        Set<String> named = connectionNamed(from);
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence name = h.getKey();
            if (hopByHop(name, named)) {
                continue;
            }
            if (request ? oneOf(name, CREDENTIAL_NAMES) || oneOf(name, REQUEST_OWN_NAMES)
                    : AsciiString.contentEqualsIgnoreCase(name, PRODUCT_NAME)) {
                continue;
            }
            if (request && AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
                String rest = withoutSessionCookie(h.getValue().toString());
                if (!rest.isEmpty()) {
                    to.add(name, rest);
                }
                continue;
            }
            to.add(name, h.getValue());
        }
    }
}
