package io.svctoken.core.user;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

/** The password byte bounds count exactly the bytes the hashers hash. */
class PasswordBytesProperties {

    @Property(tries = 500)
    void theCountIsTheLengthOfTheHashersUtf8(@ForAll String password) {
        assertThat(Validation.Users.utf8Length(password)).isEqualTo(Secret.of(password).utf8Bytes(SecretAccess.plaintext()).length);
    }

    @Property(tries = 200)
    void bcryptAllowsExactlyWhatItUses(@ForAll String password) {
        long bytes = Secret.of(password).utf8Bytes(SecretAccess.plaintext()).length;
        assertThat(Validation.Users.validatePasswordBytes(password, "bcrypt12").isEmpty()).isEqualTo(bytes <= 72);
        assertThat(Validation.Users.validatePasswordBytes(password, "pbkdf2").isEmpty()).isEqualTo(bytes <= 1024);
    }

    @Property(tries = 50)
    void loneSurrogatesAndPairs(@ForAll("surrogates") String s) {
        assertThat(Validation.Users.utf8Length(s)).isEqualTo(Secret.of(s).utf8Bytes(SecretAccess.plaintext()).length);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> surrogates() {
        return net.jqwik.api.Arbitraries.strings().withChars('\uD83D', '\uDE00', 'a', '\u00e9', '\u20ac').ofMaxLength(30);
    }
}
