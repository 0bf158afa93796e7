package io.svctoken.server.client;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.security.AuthenticateResponse;
import co.elastic.clients.elasticsearch.security.GetTokenResponse;
import co.elastic.clients.elasticsearch.security.InvalidateTokenResponse;
import co.elastic.clients.elasticsearch.security.get_token.AccessTokenGrantType;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.svctoken.server.TestNode;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The official Java client's {@code security().getToken} and {@code invalidateToken} against a real node, decoded strictly. */
class OfficialClientTokensTest {

    @TempDir
    static Path home;
    static TestNode node;
    static ElasticsearchClient elastic;
    private static final List<ElasticsearchClient> OPENED = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.token.enabled", "true"));
        elastic = client(TestNode.ELASTIC_BASIC);
        elastic.security().putUser(b -> b.username("frank").password("frank-password").roles("viewer").fullName("Frank"));
        elastic.security().putUser(b -> b.username("gina").password("gina-password").roles("viewer"));
    }

    private static ElasticsearchClient client(String authorization) {
        var builder = Rest5Client.builder(URI.create(node.baseUrl()));
        builder.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", authorization)});
        ElasticsearchClient c = new ElasticsearchClient(new Rest5ClientTransport(builder.build(), new OfficialJavaClientTest.StrictMapper()));
        OPENED.add(c);
        return c;
    }

    @AfterAll
    static void stop() throws IOException {
        for (ElasticsearchClient c : OPENED) {
            c._transport().close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void getTokenWithEachGrantAndUseItAsBearer() throws IOException {
        GetTokenResponse t = elastic.security().getToken(b -> b.grantType(AccessTokenGrantType.Password).username("frank")
                .password("frank-password"));
        assertThat(t.type()).isEqualTo("Bearer");
        assertThat(t.expiresIn()).isEqualTo(1200);
        assertThat(t.refreshToken()).isNotBlank();
        assertThat(t.scope()).isNull();
        assertThat(t.authentication().username()).isEqualTo("frank");
        assertThat(t.authentication().fullName()).isEqualTo("Frank");
        assertThat(t.authentication().authenticationRealm().name()).isEqualTo("default_native");
        assertThat(t.authentication().authenticationType()).isEqualTo("realm");

        AuthenticateResponse me = client("Bearer " + t.accessToken()).security().authenticate();
        assertThat(me.username()).isEqualTo("frank");
        assertThat(me.authenticationType()).isEqualTo("token");

        GetTokenResponse refreshed = elastic.security().getToken(b -> b.grantType(AccessTokenGrantType.RefreshToken)
                .refreshToken(t.refreshToken()));
        assertThat(refreshed.accessToken()).isNotEqualTo(t.accessToken());
        assertThat(refreshed.authentication().authenticationType()).isEqualTo("token");

        GetTokenResponse own = elastic.security().getToken(b -> b.grantType(AccessTokenGrantType.ClientCredentials).scope("x"));
        assertThat(own.refreshToken()).isNull();
        assertThat(own.scope()).isEqualTo("full");
        assertThat(own.authentication().username()).isEqualTo("elastic");
    }

    @Test
    void invalidateTokenAndTheClientsErrors() throws IOException {
        GetTokenResponse t = elastic.security().getToken(b -> b.grantType(AccessTokenGrantType.Password).username("gina")
                .password("gina-password"));
        InvalidateTokenResponse r = elastic.security().invalidateToken(b -> b.token(t.accessToken()));
        assertThat(r.invalidatedTokens()).isEqualTo(1);
        assertThat(r.previouslyInvalidatedTokens()).isZero();
        assertThat(r.errorCount()).isZero();
        assertThat(r.errorDetails()).isEmpty();
        ElasticsearchException expired = assertThrows(ElasticsearchException.class,
                () -> client("Bearer " + t.accessToken()).security().authenticate());
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.error().reason()).isEqualTo("token expired");

        InvalidateTokenResponse byUser = elastic.security().invalidateToken(b -> b.username("gina"));
        assertThat(byUser.invalidatedTokens()).isEqualTo(1); // the refresh token left
        InvalidateTokenResponse refresh = elastic.security().invalidateToken(b -> b.refreshToken(t.refreshToken()));
        assertThat(refresh.previouslyInvalidatedTokens()).isEqualTo(1);

        ElasticsearchException wrong = assertThrows(ElasticsearchException.class, () -> elastic.security().getToken(b -> b
                .grantType(AccessTokenGrantType.Password).username("gina").password("not-franks")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error().reason()).isEqualTo("unable to authenticate user [gina] for action [cluster:admin/xpack/security/token/create]");
        ElasticsearchException none = assertThrows(ElasticsearchException.class, () -> elastic.security().invalidateToken(b -> b));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.error().type()).isEqualTo("action_request_validation_exception");
    }
}
