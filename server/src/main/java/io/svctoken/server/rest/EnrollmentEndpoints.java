package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.Futures;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.authc.Creator;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.ServiceTokens;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static io.svctoken.server.http.Router.Method.GET;

/**
 * {@code GET /_security/enroll/kibana}: creates the store-held {@code elastic/kibana} token
 * {@code enroll-process-token-<epoch ms>} and answers it with the HTTP CA.
 *
 * <p>Better than Elasticsearch: two enrollments in the same millisecond both succeed (the second takes
 * the next free millisecond; the store's unique key decides, nothing is overwritten). When the token
 * cannot be stored, the answer is Elasticsearch's error with the real cause and its status, and the log
 * says what to do.
 */
public final class EnrollmentEndpoints {

    public static final String ACTION = ServerEsMessages.ENROLL_KIBANA_ACTION;
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentEndpoints.class);
    private static final ServiceAccountId KIBANA = new ServiceAccountId("elastic", "kibana");
    private static final int NAME_ATTEMPTS = 10;

    private final ServiceTokens tokens;
    private final Supplier<Optional<byte[]>> httpCaDer;
    private final Clock clock;
    private final String dataPath;
    private final boolean enabled;

    /**
     * @param httpCaDer the HTTP CA certificate (DER) when the node serves HTTPS with a CA it holds
     * @param enabled   {@code xpack.security.enrollment.enabled}
     */
    public EnrollmentEndpoints(ServiceTokens tokens, Supplier<Optional<byte[]>> httpCaDer, Clock clock, String dataPath, boolean enabled) {
        this.enabled = enabled;
        this.tokens = tokens;
        this.httpCaDer = httpCaDer;
        this.clock = clock;
        this.dataPath = dataPath;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(Endpoint.on(GET, "/_security/enroll/kibana")
                .parse(r -> new Enroll(enabled))
                .access(Access.action(ACTION))
                // Elasticsearch creates the token through its own create-token action, which its audit trail records as a change
                .changes((req, authn, reply) -> Changes.createServiceToken(KIBANA.namespace(), KIBANA.serviceName(),
                        ((Enrolled) reply).name()))
                .execute((req, authn) -> enrollKibana()));
    }

    /** Elasticsearch's enrollment REST handlers check that enrollment is on before the action (and its authorization) runs. */
    record Enroll(boolean enabled) implements Endpoint.Request {
        @Override
        public void validate() {
            if (!enabled) {
                throw EsErrors.forbidden(ServerEsMessages.ENROLLMENT_NOT_ENABLED);
            }
        }
    }

    /** {@code {"token":{"name","value"},"http_ca"}}. */
    record Enrolled(String name, String value, String httpCa) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            ObjectNode t = o.putObject("token");
            t.put("name", name);
            t.put("value", value);
            o.put("http_ca", httpCa);
            return o;
        }
    }

    /** The work, once enrollment is on and the caller may enroll Kibana. */
    CompletableFuture<Enrolled> enrollKibana() {
        byte[] ca = httpCaDer.get().orElseThrow(() -> new EsException("exception", 500, ServerEsMessages.ENROLL_NO_KEYSTORE));
        String httpCa = Base64.getEncoder().encodeToString(ca);
        return create(clock.millis(), 0).handle((token, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                EsException es = cause instanceof StoreException
                        ? EsErrors.storeUnavailable(cause) : EsException.from(cause);
                LOG.error("{} during Kibana enrollment: {}. The token is kept in the store at [{}]: check that the store is writable"
                        + " (file permissions, disk space, a read-only file system) and retry the enrollment.",
                        ServerEsMessages.ENROLL_KIBANA_TOKEN_FAILED, cause.toString(), dataPath);
                // Elasticsearch's wrapping exception takes the status of its cause.
                throw new EsException("exception", es.status(), ServerEsMessages.ENROLL_KIBANA_TOKEN_FAILED, es);
            }
            try {
                LOG.debug("Successfully created token [{}] for the [elastic/kibana] service account during kibana enrollment", token.tokenName());
                return new Enrolled(token.tokenName(), token.asBearer().revealAsString(SecretAccess.plaintext()), httpCa);
            } finally {
                token.close();
            }
        });
    }

    /** Creates {@code enroll-process-token-<millis>}, moving to the next millisecond when the name is taken. */
    private CompletableFuture<ServiceAccountToken> create(long millis, int attempt) {
        ServiceAccountToken token = ServiceAccountToken.newToken(KIBANA, ServerEsMessages.ENROLL_TOKEN_NAME_PREFIX + millis);
        String creator = Creator.of(UserAuthentication.internalSecurityUser()).toString();
        return tokens.create(token, creator).handle((ok, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(token);
            }
            token.close();
            if (Futures.unwrap(error) instanceof DuplicateTokenException && attempt + 1 < NAME_ATTEMPTS) {
                return create(millis + 1, attempt + 1);
            }
            return CompletableFuture.<ServiceAccountToken>failedFuture(Futures.unwrap(error));
        }).thenCompose(f -> f);
    }
}
