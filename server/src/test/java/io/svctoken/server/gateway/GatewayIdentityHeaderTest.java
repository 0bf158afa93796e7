package io.svctoken.server.gateway;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's identity toward the upstream ({@code svctoken.gateway.identity_header}), checked as an upstream proxy
 * would: the header parsed and its signature verified from the documented format alone.
 */
class GatewayIdentityHeaderTest {

    static final String HEADER = "X-Svctoken-Identity";
    static final String KEY = "0123456789abcdef0123456789abcdef-signing";

    @TempDir
    static Path home;
    static RecordingUpstream recorder;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        recorder = new RecordingUpstream();
        node = TestNode.start(home, Map.of("svctoken.gateway.upstream", recorder.url(),
                "svctoken.gateway.identity_header", HEADER,
                "svctoken.gateway.identity_header.signing_key", KEY));
    }

    @AfterAll
    static void stop() {
        node.close();
        recorder.close();
    }

    /** The one value the upstream got, after a request forging the header. */
    private static String forwarded(String authorization) throws Exception {
        TestNode.Response r = node.request("GET", "/_cluster/health", authorization, null,
                Map.of(HEADER, "principal=elastic;realm=reserved;authentication_type=realm", "x-svctoken-identity", "forged-too"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> values = recorder.lastHeaders.get().get(HEADER);
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    /** The documented check: HMAC-SHA256 of everything before {@code ;sig=}, base64url without padding, and a recent ts. */
    static boolean verifies(String value, String key) throws Exception {
        int at = value.lastIndexOf(";sig=");
        if (at < 0) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(value.substring(0, at).getBytes(StandardCharsets.UTF_8));
        byte[] given = Base64.getUrlDecoder().decode(value.substring(at + ";sig=".length()));
        long ts = Long.parseLong(fields(value).get("ts"));
        return MessageDigest.isEqual(expected, given) && Math.abs(System.currentTimeMillis() / 1000 - ts) <= 60;
    }

    static Map<String, String> fields(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aBasicCallerIsTheUserItsRealmAndRealmAuthentication() throws Exception {
        String value = forwarded(TestNode.ELASTIC_BASIC);

        Map<String, String> f = fields(value);
        assertThat(f).containsEntry("principal", "elastic").containsEntry("realm", "reserved").containsEntry("realm_type", "reserved")
                .containsEntry("authentication_type", "realm").containsKeys("ts", "sig");
        assertThat(value).startsWith("v=1;principal=elastic;realm=reserved;realm_type=reserved;authentication_type=realm;ts=");
        assertThat(value).doesNotContain("forged");
        assertThat(verifies(value, KEY)).isTrue();
        assertThat(verifies(value, KEY + "-other")).isFalse();
        assertThat(verifies(value.replace("principal=elastic", "principal=elastix"), KEY)).isFalse();
    }

    @Test
    void anApiKeyCallerIsItsOwnerTheKeysIdAndName() throws Exception {
        TestNode.Response key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"ingest; v=2\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(200);

        String value = forwarded("ApiKey " + key.json().get("encoded").asText());

        Map<String, String> f = fields(value);
        assertThat(f).containsEntry("principal", "elastic").containsEntry("realm", "_es_api_key").containsEntry("realm_type", "_es_api_key")
                .containsEntry("authentication_type", "api_key").containsEntry("api_key_id", key.json().get("id").asText())
                .containsEntry("api_key_name", "ingest; v=2");
        assertThat(value).contains(";api_key_name=ingest%3B%20v%3D2;");
        assertThat(verifies(value, KEY)).isTrue();
    }

    @Test
    void aServiceTokenCallerIsTheAccountAndTheTokensName() throws Exception {
        TestNode.Response token = node.asElastic("POST", "/_security/service/elastic/kibana/credential/token/identity-test");
        assertThat(token.status()).as(token.body()).isEqualTo(200);

        String value = forwarded(TestNode.bearer(token.json().at("/token/value").asText()));

        Map<String, String> f = fields(value);
        assertThat(f).containsEntry("principal", "elastic/kibana").containsEntry("realm", "_service_account")
                .containsEntry("authentication_type", "token").containsEntry("token_name", "identity-test");
        assertThat(value).contains(";principal=elastic%2Fkibana;");
        assertThat(verifies(value, KEY)).isTrue();
        assertThat(verifies(value, "another-key-another-key-another-key")).isFalse();
    }
}
