package io.svctoken.core.secret;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretTest {

    @Test
    void redactedToString() {
        Secret s = Secret.of("hunter2-secret");
        assertThat(s.toString()).isEqualTo("Secret[redacted]").doesNotContain("hunter2");
        assertThat(String.valueOf(s)).doesNotContain("hunter2");
    }

    @Test
    void constantTimeEquality() {
        assertThat(Secret.of("abc").constantTimeEquals(Secret.of("abc"))).isTrue();
        assertThat(Secret.of("abc").constantTimeEquals(Secret.of("abd"))).isFalse();
        assertThat(Secret.of("abc").constantTimeEquals(Secret.of("abcd"))).isFalse();
        assertThat(Secret.of("abc").constantTimeEquals((Secret) null)).isFalse();
        assertThat(Secret.of("é").constantTimeEquals("é".toCharArray())).isTrue();
        // identity equals on purpose: secrets never become map keys by value
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abc"));
    }

    @Test
    void revealGivesACopy() {
        Secret s = Secret.of("abc");
        char[] c = s.reveal(SecretAccess.plaintext());
        c[0] = 'x';
        assertThat(s.revealAsString(SecretAccess.plaintext())).isEqualTo("abc");
    }

    @Test
    void copyOfDoesNotAlias() {
        char[] src = "secret".toCharArray();
        Secret s = Secret.copyOf(src);
        Arrays.fill(src, '\0');
        assertThat(s.revealAsString(SecretAccess.plaintext())).isEqualTo("secret");
    }

    @Test
    void wipeZeroesAndBlocksAccess() {
        Secret s = Secret.of("abc");
        s.close();
        assertThat(s.isWiped()).isTrue();
        assertThatThrownBy(() -> s.reveal(SecretAccess.plaintext())).isInstanceOf(IllegalStateException.class).hasMessageNotContaining("abc");
        assertThatThrownBy(() -> s.utf8Bytes(SecretAccess.plaintext())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void utf8Bytes() {
        assertThat(Secret.of("é").utf8Bytes(SecretAccess.plaintext())).containsExactly(0xc3, 0xa9);
    }
}
