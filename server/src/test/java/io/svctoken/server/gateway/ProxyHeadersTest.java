package io.svctoken.server.gateway;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What passes a proxy (RFC 9110 section 7.6.1), with names in any case, as a decoder hands them (AsciiString) or as Strings. */
class ProxyHeadersTest {

    private static List<String> lines(HttpHeaders h) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : (Iterable<Map.Entry<CharSequence, CharSequence>>) h::iteratorCharSequence) {
            out.add(e.getKey() + ": " + e.getValue());
        }
        return out;
    }

    @Test
    void theUpstreamsAnswerHeadIsStrippedInPlaceKeepingTheRestAsItCame() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add(AsciiString.of("Content-Type"), "application/json");
        h.add(AsciiString.of("CONNECTION"), "keep-alive, X-Hop-Name");
        h.add("x-hop-name", "dropped: named by Connection");
        h.add(AsciiString.of("Keep-Alive"), "timeout=5");
        h.add("Transfer-Encoding", "chunked");
        h.add("Proxy-Authenticate", "Basic");
        h.add("Trailer", "x");
        h.add("Upgrade", "h2c");
        h.add("X-Elastic-Product", "Elasticsearch");
        h.add("Warning", "299 Elasticsearch-8.19 \"deprecated\"");
        h.add("content-length", "17");
        h.add("Warning", "299 second");

        ProxyHeaders.stripResponse(h);

        assertThat(lines(h)).containsExactly("Content-Type: application/json", "Warning: 299 Elasticsearch-8.19 \"deprecated\"",
                "content-length: 17", "Warning: 299 second");
    }

    @Test
    void anAnswerHeadWithNothingToDropIsLeftAlone() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("content-type", "application/json");
        h.add("content-length", "2");
        ProxyHeaders.stripResponse(h);
        assertThat(lines(h)).containsExactly("content-type: application/json", "content-length: 2");
    }

    @Test
    void theCallersHeadLosesCredentialsHopByHopHostAndExpectAndTheSessionCookie() {
        HttpHeaders from = new DefaultHttpHeaders();
        from.add(AsciiString.of("Host"), "gateway:9200");
        from.add(AsciiString.of("AUTHORIZATION"), "ApiKey c2VjcmV0");
        from.add("es-secondary-authorization", "Basic eA==");
        from.add("ES-Security-RunAs-User", "other");
        from.add("es-client-authentication", "SharedSecret x");
        from.add("Expect", "100-continue");
        from.add("Connection", "X-Private");
        from.add("x-private", "hop");
        from.add("Proxy-Authorization", "Basic eA==");
        from.add("Cookie", "a=1; svctoken_session=s3cret; b=2");
        from.add("X-Opaque-Id", "op-1");
        from.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        HttpHeaders to = new DefaultHttpHeaders();
        ProxyHeaders.copyRequest(from, to);

        assertThat(lines(to)).containsExactly("Cookie: a=1; b=2", "X-Opaque-Id: op-1",
                "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }
}
