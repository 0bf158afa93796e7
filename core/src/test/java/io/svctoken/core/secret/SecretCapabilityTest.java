package io.svctoken.core.secret;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading a {@link Secret}'s characters takes the {@code SecretAccess} capability: no public method of
 * Secret hands out its content (as characters, bytes, a String or a buffer) without one.
 */
class SecretCapabilityTest {

    @Test
    void noPublicMethodReturnsTheContentWithoutTheCapability() throws ReflectiveOperationException {
        Class<?> access = Class.forName("io.svctoken.core.secret.SecretAccess");
        List<String> open = new ArrayList<>();
        int guarded = 0;
        for (Method m : Secret.class.getMethods()) {
            if (m.getName().equals("toString") || !carriesContent(m.getReturnType())) {
                continue;
            }
            if (Arrays.asList(m.getParameterTypes()).contains(access)) {
                guarded++;
            } else {
                open.add(m.toString());
            }
        }
        assertThat(open).as("methods that return the secret without SecretAccess").isEmpty();
        assertThat(guarded).as("reveal, revealAsString, utf8Bytes").isEqualTo(3);
    }

    @Test
    void noZeroArgumentRevealExists() {
        for (Method m : Secret.class.getMethods()) {
            if (m.getName().startsWith("reveal") || m.getName().equals("utf8Bytes")) {
                assertThat(m.getParameterCount()).as(m.toString()).isEqualTo(1);
            }
        }
    }

    @Test
    void theCapabilityIsOneInstanceNobodyElseCanMake() throws ReflectiveOperationException {
        Class<?> access = Class.forName("io.svctoken.core.secret.SecretAccess");
        assertThat(Modifier.isFinal(access.getModifiers())).isTrue();
        assertThat(access.getConstructors()).isEmpty();
        assertThat(Arrays.stream(access.getDeclaredConstructors()).allMatch(c -> Modifier.isPrivate(c.getModifiers())))
                .isTrue();
        Method plaintext = access.getMethod("plaintext");
        assertThat(plaintext.invoke(null)).isNotNull().isSameAs(plaintext.invoke(null));
    }

    @Test
    void aNullCapabilityReadsNothing() {
        Secret s = Secret.of("hunter2");
        assertThatThrownBy(() -> s.reveal(null)).isInstanceOf(NullPointerException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> s.revealAsString(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> s.utf8Bytes(null)).isInstanceOf(NullPointerException.class);
        assertThat(s.revealAsString(SecretAccess.plaintext())).isEqualTo("hunter2");
    }

    private static boolean carriesContent(Class<?> type) {
        return type == char[].class || type == byte[].class || CharSequence.class.isAssignableFrom(type)
                || Buffer.class.isAssignableFrom(type);
    }
}
