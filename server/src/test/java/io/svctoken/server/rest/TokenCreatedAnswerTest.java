package io.svctoken.server.rest;

import io.svctoken.server.http.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token creation's answer is rendered when it is made (the node makes it while the worker hashes the new secret,
 * so that only the insert separates the hash from the written answer), in the bytes the dispatcher would render, and
 * its text form never shows the secret it carries.
 */
class TokenCreatedAnswerTest {

    @Test
    void theAnswerIsRenderedWhenMadeAndItsTextFormHidesTheSecret() {
        ServiceAccountEndpoints.Created created = ServiceAccountEndpoints.Created.of("t1", "c2VjcmV0LXZhbHVl");

        assertThat(created.compactJson()).isNotNull();
        assertThat(new String(created.compactJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"created\":true,\"token\":{\"name\":\"t1\",\"value\":\"c2VjcmV0LXZhbHVl\"}}");
        assertThat(created.compactJson()).isEqualTo(Json.bytes(created.body(), false));
        assertThat(created.toString()).doesNotContain("c2VjcmV0LXZhbHVl");
    }
}
