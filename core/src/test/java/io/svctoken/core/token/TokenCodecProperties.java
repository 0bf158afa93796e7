package io.svctoken.core.token;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCodecProperties {

    record Parts(String namespace, String service, String name, String secret) {
    }

    @Provide
    Arbitrary<Parts> validParts() {
        // Namespace/service: anything non-blank without '/' or ':'; names per the rule; secrets any text.
        Arbitrary<String> segment = Arbitraries.strings().ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.isBlank() && s.indexOf('/') < 0 && s.indexOf(':') < 0 && isWellFormed(s));
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('-', '_').ofMinLength(1).ofMaxLength(256)
                .filter(s -> s.charAt(0) != '_');
        Arbitrary<String> secret = Arbitraries.strings().ofMinLength(0).ofMaxLength(80).filter(TokenCodecProperties::isWellFormed);
        return Combinators.combine(segment, segment, name, secret).as(Parts::new);
    }

    /** Lone surrogates cannot survive UTF-8, in Elasticsearch either. */
    private static boolean isWellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    @Property
    void roundTripsEveryValidToken(@ForAll("validParts") Parts p) {
        ServiceAccountToken t = new ServiceAccountToken(new TokenId(new ServiceAccountId(p.namespace, p.service), p.name), Secret.of(p.secret));
        String bearer = t.asBearer().revealAsString(SecretAccess.plaintext());
        assertThat(bearer).doesNotContain("=");
        ServiceAccountToken back = TokenCodec.decode(bearer).orElseThrow();
        assertThat(back.id()).isEqualTo(t.id());
        assertThat(back.secret().revealAsString(SecretAccess.plaintext())).isEqualTo(p.secret);
    }

    @Property
    void neverThrowsOnArbitraryStrings(@ForAll String s) {
        TokenCodec.decode(s); // must not throw
    }

    @Property
    void neverThrowsOnArbitraryBytesAndOnlyAcceptsThePrefix(@ForAll @Size(max = 200) byte[] bytes) {
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
        Optional<ServiceAccountToken> t = TokenCodec.decode(encoded);
        if (t.isPresent()) {
            assertThat(bytes.length).isGreaterThanOrEqualTo(4);
            assertThat(new byte[]{bytes[0], bytes[1], bytes[2], bytes[3]}).containsExactly(0, 1, 0, 1);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).contains(":");
        }
    }

    @Property
    void garbageAfterTheMagicIsNeverAToken(@ForAll @Size(max = 100) byte[] tail) {
        // Random bytes after the prefix almost never form ns/svc/name:secret; when they do, it must really be so.
        byte[] raw = new byte[tail.length + 4];
        raw[1] = 1;
        raw[3] = 1;
        System.arraycopy(tail, 0, raw, 4, tail.length);
        TokenCodec.decode(Base64.getEncoder().encodeToString(raw)).ifPresent(t -> {
            assertThat(TokenNames.isValid(t.tokenName())).isTrue();
            assertThat(t.accountId().namespace()).isNotBlank();
            assertThat(t.accountId().serviceName()).isNotBlank();
        });
    }
}
