package io.svctoken.core.token;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCodecTest {

    private static String b64(String raw) {
        return Base64.getEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void specExampleDecodes() {
        // the example token of Elasticsearch's documentation
        ServiceAccountToken t = TokenCodec.decode("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMTpyNXdkYmRib1FTZTl2R09Ld2FKR0F3").orElseThrow();
        assertThat(t.accountId()).isEqualTo(new ServiceAccountId("elastic", "fleet-server"));
        assertThat(t.tokenName()).isEqualTo("token1");
        assertThat(t.secret().revealAsString(SecretAccess.plaintext())).isEqualTo("r5wdbdboQSe9vGOKwaJGAw");
    }

    @Test
    void specExampleEncodes() {
        ServiceAccountToken t = new ServiceAccountToken(TokenId.of("elastic/fleet-server", "token1"), Secret.of("r5wdbdboQSe9vGOKwaJGAw"));
        String bearer = t.asBearer().revealAsString(SecretAccess.plaintext());
        assertThat(bearer).isEqualTo("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMTpyNXdkYmRib1FTZTl2R09Ld2FKR0F3").hasSize(72);
        // a token and its documented bearer string
        ServiceAccountToken t2 = new ServiceAccountToken(TokenId.of("elastic/fleet-server", "my-token"), Secret.of("7LWZH6QcTuq2Z2Qk3hYzJg"));
        assertThat(t2.asBearer().revealAsString(SecretAccess.plaintext())).isEqualTo("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL215LXRva2VuOjdMV1pINlFjVHVxMloyUWszaFl6Smc");
    }

    @Test
    void everyElasticTokenStartsWithTheKnownPrefix() {
        ServiceAccountToken t = ServiceAccountToken.newToken(new ServiceAccountId("elastic", "kibana"), "x");
        assertThat(t.asBearer().revealAsString(SecretAccess.plaintext())).startsWith("AAEAAWVsYXN0aWMv").doesNotContain("=");
    }

    @Test
    void paddingAcceptedOnDecode() {
        String noPad = b64("\0\1\0\1elastic/kibana/t1:abcdefghijkl");
        String padded = Base64.getEncoder().encodeToString("\0\1\0\1elastic/kibana/t1:abcdefghijkl".getBytes(StandardCharsets.UTF_8));
        assertThat(padded).endsWith("=");
        assertThat(TokenCodec.decode(noPad)).isPresent();
        assertThat(TokenCodec.decode(padded)).isPresent();
    }

    @Test
    void secretMayContainColons() {
        ServiceAccountToken t = TokenCodec.decode(b64("\0\1\0\1elastic/kibana/t1:ab:cd:ef")).orElseThrow();
        assertThat(t.tokenName()).isEqualTo("t1");
        assertThat(t.secret().revealAsString(SecretAccess.plaintext())).isEqualTo("ab:cd:ef");
    }

    @Test
    void parsedButUnknownAccountIsStillAToken() {
        // Namespace/account checks happen at authentication and are final, not "not a token".
        assertThat(TokenCodec.decode(b64("\0\1\0\1foo/bar/t1:abcdefghijkl"))).isPresent();
        assertThat(TokenCodec.decode(b64("\0\1\0\1elastic/fleet-server/t1:short"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\0\1\0\2elastic/kibana/t1:abcdefghijkl",   // wrong version byte
            "\1\1\0\1elastic/kibana/t1:abcdefghijkl",   // wrong magic
            "\0\1\0",                                     // too short
            "\0\1\0\1elastic/kibana/t1",                  // no colon
            "\0\1\0\1elastic/t1:abcdefghijkl",            // two parts
            "\0\1\0\1elastic/kibana/x/t1:abcdefghijkl",   // four parts
            "\0\1\0\1/kibana/t1:abcdefghijkl",            // empty namespace
            "\0\1\0\1 /kibana/t1:abcdefghijkl",           // blank namespace
            "\0\1\0\1elastic//t1:abcdefghijkl",           // empty service
            "\0\1\0\1elastic/kibana/_t1:abcdefghijkl",    // bad token name
            "\0\1\0\1elastic/kibana/:abcdefghijkl",       // empty token name
    })
    void notAServiceToken(String raw) {
        assertThat(TokenCodec.decode(b64(raw))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not base64!", "AAEAAW-_", "dXNlcjpwYXNz", "é", "AAEAAWVsYXN0aWMv====x"})
    void garbageIsNotAServiceToken(String s) {
        assertThat(TokenCodec.decode(s)).isEmpty();
    }

    @Test
    void urlSafeAlphabetIsRejected() {
        String std = b64("\0\1\0\1elastic/kibana/t1:\u00ff\u00fe\u00fd???>>>");
        assertThat(std).containsAnyOf("+", "/");
        assertThat(TokenCodec.decode(std)).isPresent();
        assertThat(TokenCodec.decode(std.replace('+', '-').replace('/', '_'))).isEmpty();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        ServiceAccountToken t = TokenCodec.decode("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMTpyNXdkYmRib1FTZTl2R09Ld2FKR0F3").orElseThrow();
        assertThat(t.toString()).contains("elastic/fleet-server/token1").doesNotContain("r5wdbdboQSe9vGOKwaJGAw");
        assertThat(t.secret().toString()).doesNotContain("r5wd");
        assertThat(t.asBearer().toString()).doesNotContain("AAEAAW");
    }
}
