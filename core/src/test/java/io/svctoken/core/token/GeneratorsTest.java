package io.svctoken.core.token;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorsTest {

    @RepeatedTest(20)
    void secretsAreVersion4UuidsInUrlSafeBase64() {
        Secret s = SecretGenerator.newSecret();
        String v = s.revealAsString(SecretAccess.plaintext());
        assertThat(v).hasSize(22).matches("[A-Za-z0-9_-]{22}");
        byte[] b = Base64.getUrlDecoder().decode(v);
        assertThat(b).hasSize(16);
        assertThat((b[6] & 0xf0) >>> 4).isEqualTo(4);
        assertThat((b[8] & 0xc0) >>> 6).isEqualTo(2);
    }

    @Test
    void secretsDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(SecretGenerator.newSecret().revealAsString(SecretAccess.plaintext()))).isTrue();
        }
    }

    @Test
    void autoNamesAreValidUniqueAndKOrdered() {
        String prev = null;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String n = TimeBasedIds.newTokenName();
            assertThat(n).startsWith("token_").hasSize(26);
            assertThat(TokenNames.isValid(n)).isTrue();
            assertThat(seen.add(n)).isTrue();
            String id = n.substring(6);
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(15);
            if (prev != null) {
                // The leading 6 bytes are a non-decreasing timestamp.
                assertThat(compareTimestamps(prev, id)).isLessThanOrEqualTo(0);
            }
            prev = id;
        }
    }

    private static int compareTimestamps(String a, String b) {
        byte[] x = Base64.getUrlDecoder().decode(a);
        byte[] y = Base64.getUrlDecoder().decode(b);
        for (int i = 0; i < 6; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
