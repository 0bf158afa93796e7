package io.svctoken.core.event;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the security events say about the request they concern: never its credentials or body.
 *
 * @param id            a random id per request (Elasticsearch's audit {@code request.id}), joining the events of one request
 * @param method        the HTTP method
 * @param uri           the request URI as received (path and query)
 * @param origin        the client's address, null if unknown
 * @param opaqueId      the {@code X-Opaque-Id} header, null when absent
 * @param traceParent   the W3C {@code traceparent} header, null when absent
 * @param forwardedFor  the {@code X-Forwarded-For} header, null when absent (reported, never trusted)
 * @param forwarded     true when the gateway forwards the request to its upstream, false when svctoken serves it
 */
public record RequestInfo(String id, String method, String uri, InetSocketAddress origin, String opaqueId, String traceParent,
                          String forwardedFor, boolean forwarded) {

    /** A request known only by its URI and client (library callers of the authentication service). */
    public static RequestInfo of(String uri, InetSocketAddress origin) {
        return new RequestInfo(newId(), null, uri, origin, null, null, null, false);
    }

    /** The path part of the URI. */
    public String path() {
        int q = uri == null ? -1 : uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The query part of the URI without the {@code ?}, null when there is none. */
    public String query() {
        int q = uri == null ? -1 : uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    /** 16 random bytes in URL-safe Base64 without padding (22 characters), like Elasticsearch's random UUIDs. */
    public static String newId() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
