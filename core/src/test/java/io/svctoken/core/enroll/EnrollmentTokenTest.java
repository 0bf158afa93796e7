package io.svctoken.core.enroll;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnrollmentTokenTest {

    private static final String FGR = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void specExample() {
        // a synthetic token of Elasticsearch's documented form
        String spec = "eyJ2ZXIiOiI4LjE3LjAiLCJhZHIiOlsiMTkyLjE2OC4xLjEwOjkyMDAiXSwiZmdyIjoiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsImtleSI6IlZ1YUNmR2NCQ2Ria1FtLWU1YU94OnVpMmxwMmF4VE5tc3lha3c5dHZObncifQ==";
        EnrollmentToken t = EnrollmentToken.decode(spec);
        assertThat(t.version()).isEqualTo("8.17.0");
        assertThat(t.addresses()).containsExactly("192.168.1.10:9200");
        assertThat(t.fingerprint()).isEqualTo(FGR);
        assertThat(t.apiKey().revealAsString(SecretAccess.plaintext())).isEqualTo("VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw");
        assertThat(t.encode().revealAsString(SecretAccess.plaintext())).isEqualTo(spec);
        assertThat(t.toString()).doesNotContain("ui2lp2");
    }

    @Test
    void apiKeyHeader() {
        EnrollmentToken t = new EnrollmentToken("8.19.0", List.of("127.0.0.1:9200"), FGR, Secret.of("id:secret"));
        assertThat(t.apiKeyHeaderValue().revealAsString(SecretAccess.plaintext())).isEqualTo(Base64.getEncoder().encodeToString("id:secret".getBytes()));
    }

    @Test
    void invalidTokens() {
        for (String bad : List.of("", "!!!", Base64.getEncoder().encodeToString("[]".getBytes()),
                Base64.getEncoder().encodeToString("{\"ver\":1,\"adr\":[],\"fgr\":\"x\",\"key\":\"a:b\"}".getBytes()),
                Base64.getEncoder().encodeToString(("{\"ver\":\"8\",\"adr\":[1],\"fgr\":\"" + FGR + "\",\"key\":\"a:b\"}").getBytes()),
                Base64.getEncoder().encodeToString(("{\"ver\":\"8\",\"adr\":[],\"fgr\":\"" + FGR + "\",\"key\":\"nocolon\"}").getBytes()))) {
            assertThatThrownBy(() -> EnrollmentToken.decode(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid enrollment token");
        }
    }

    @Property
    void decodeNeverThrowsAnythingElse(@ForAll String s) {
        try {
            EnrollmentToken.decode(s);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("Invalid enrollment token");
        }
    }
}
