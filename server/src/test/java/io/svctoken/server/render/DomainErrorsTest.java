package io.svctoken.server.render;

import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.error.InvalidRequestException;
import io.svctoken.server.http.EsException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain's refusals as Elasticsearch errors: type, status, metadata and headers. */
class DomainErrorsTest {

    private static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");

    @Test
    void aFailedAuthenticationIsA401WithTheChallenges() {
        EsException e = EsException.from(AuthenticationException.unsuccessful("unable to authenticate", "API key: why"));
        assertThat(e.type()).isEqualTo("security_exception");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("unable to authenticate");
        assertThat(e.metadata()).containsExactly(Map.entry("additional_unsuccessful_credentials", List.of("API key: why")));
        assertThat(e.headers()).containsExactly(Map.entry("WWW-Authenticate", CHALLENGES));
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aCheckThatFailedCarriesItsCause() {
        EsException e = EsException.from(AuthenticationException.failed("error attempting to authenticate", new IllegalStateException("boom")));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getCause()).isInstanceOfSatisfying(EsException.class, c -> {
            assertThat(c.type()).isEqualTo("illegal_state_exception");
            assertThat(c.getMessage()).isEqualTo("boom");
        });
    }

    @Test
    void aSpentBudgetIsA429WithRetryAfterAndNoChallenge() {
        EsException e = EsException.from(AuthenticationException.throttled("too many", 7));
        assertThat(e.type()).isEqualTo("security_exception");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.headers()).containsExactly(Map.entry("Retry-After", List.of("7")));
    }

    @Test
    void refusalsOfAuthorizationAndRequests() {
        EsException denied = EsException.from(new AuthorizationDeniedException("action [x] is unauthorized for user [u]"));
        assertThat(List.of(denied.type(), denied.status(), denied.getMessage())).containsExactly("security_exception", 403,
                "action [x] is unauthorized for user [u]");
        EsException illegal = EsException.from(InvalidRequestException.illegalArgument("bad"));
        assertThat(List.of(illegal.type(), illegal.status())).containsExactly("illegal_argument_exception", 400);
        EsException validation = EsException.from(InvalidRequestException.validation(List.of("a", "b")));
        assertThat(List.of(validation.type(), validation.status(), validation.getMessage()))
                .containsExactly("action_request_validation_exception", 400, "Validation Failed: 1: a;2: b;");
        EsException missing = EsException.from(InvalidRequestException.notFound("user [u] does not exist"));
        assertThat(List.of(missing.type(), missing.status())).containsExactly("resource_not_found_exception", 404);
        assertThat(List.of(denied, illegal, validation, missing)).allSatisfy(e -> assertThat(e.headers()).isEmpty());
    }
}
