package io.svctoken.server.http;

import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire {@code type} of exceptions that are not Elasticsearch errors: stated for svctoken's own classes, never derived from them. */
class EsErrorTypesTest {

    /** A class of svctoken's that nobody gave a wire type. */
    private static final class SomeNewFailureOfOurs extends RuntimeException {
        SomeNewFailureOfOurs() {
            super("boom");
        }
    }

    @Test
    void svctokensOwnExceptionsHaveStatedTypesAndAnUnlistedOneIsAPlainException() {
        assertThat(EsException.from(new StoreException("x")).type()).isEqualTo("store_exception");
        assertThat(EsException.from(new DuplicateTokenException(TokenId.of("elastic/fleet-server", "t"))).type())
                .isEqualTo("duplicate_token_exception");
        assertThat(EsException.from(new SomeNewFailureOfOurs()).type()).isEqualTo("exception");
    }

    @Test
    void foreignExceptionsKeepElasticsearchsRuleForUnknownExceptions() {
        assertThat(EsException.from(new IllegalArgumentException("x")).type()).isEqualTo("illegal_argument_exception");
        assertThat(EsException.from(new NumberFormatException("x")).type()).isEqualTo("illegal_argument_exception");
        assertThat(EsException.from(new NullPointerException("x")).type()).isEqualTo("null_pointer_exception");
        assertThat(EsException.from(new UncheckedIOException(new IOException("x"))).type())
                .isEqualTo("unchecked_i_o_exception");
    }
}
