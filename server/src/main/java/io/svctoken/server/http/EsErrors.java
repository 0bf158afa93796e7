package io.svctoken.server.http;

import io.svctoken.core.EsMessages;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.ServiceTokenAuthenticationException;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.settings.SettingsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Factories for the errors svctoken answers with, typed and worded as in Elasticsearch. */
public final class EsErrors {

    private static final Logger LOG = LoggerFactory.getLogger(EsErrors.class);

    public static final String SECURITY_EXCEPTION = "security_exception";
    public static final String ILLEGAL_ARGUMENT = "illegal_argument_exception";
    public static final String VALIDATION = "action_request_validation_exception";
    public static final String X_CONTENT_PARSE = "x_content_parse_exception";
    public static final String PARSE = "parse_exception";
    public static final String VERSION_CONFLICT = "version_conflict_engine_exception";
    public static final String SECURITY_INDEX = ".security-7";

    private EsErrors() {
    }

    /**
     * The wire {@code type} of an exception that is not an {@link EsException}. svctoken's own classes have theirs
     * stated here, so that renaming a class never changes the wire; a new one that is not listed is a plain
     * {@code exception}. The JDK's and libraries' exceptions get Elasticsearch's rule for exceptions it does not
     * know: the class's simple name in snake case ({@code null_pointer_exception}, {@code json_parse_exception}).
     */
    public static String typeOf(Throwable t) {
        if (t instanceof IllegalArgumentException) {
            return ILLEGAL_ARGUMENT;
        }
        if (t instanceof StoreException) {
            return "store_exception";
        }
        if (t instanceof DuplicateTokenException) {
            return "duplicate_token_exception";
        }
        if (t instanceof ServiceTokenAuthenticationException) {
            return "service_token_authentication_exception";
        }
        if (t instanceof RoleParseException) {
            return "role_parse_exception";
        }
        if (t instanceof SettingsException) {
            return "settings_exception";
        }
        if (t instanceof ApiKeyService.Unsuccessful) {
            return "unsuccessful";
        }
        if (t.getClass().getName().startsWith("io.svctoken.")) {
            return "exception";
        }
        return EsException.snakeCase(t.getClass().getSimpleName());
    }

    public static EsException illegalArgument(String reason) {
        return new EsException(ILLEGAL_ARGUMENT, 400, reason);
    }

    /**
     * A query string Elasticsearch cannot decode: its {@code BadParameterException}, which carries the
     * decoder's exception as its reason ({@code java.lang.IllegalArgumentException: ...}) and its cause.
     */
    public static EsException badParameter(IllegalArgumentException decoderError) {
        return new EsException("bad_parameter_exception", 400, decoderError.toString(), EsException.from(decoderError));
    }

    /** {@code Validation Failed: 1: a;2: b;} */
    public static EsException validation(List<String> errors) {
        return new EsException(VALIDATION, 400, EsMessages.validationFailed(errors));
    }

    public static EsException unauthenticated(String reason, List<String> challenges) {
        return new EsException(SECURITY_EXCEPTION, 401, reason).withHeader("WWW-Authenticate", challenges);
    }

    public static EsException forbidden(String reason) {
        return new EsException(SECURITY_EXCEPTION, 403, reason);
    }

    public static EsException duplicateToken(TokenId id, String indexUuid) {
        return new EsException(VERSION_CONFLICT, 409, ServerEsMessages.documentAlreadyExists(TokenRecord.documentId(id)))
                .withMetadata("index_uuid", indexUuid)
                .withMetadata("shard", "0")
                .withMetadata("index", SECURITY_INDEX);
    }

    public static EsException rejected(String what) {
        return new EsException("es_rejected_execution_exception", 429, "rejected execution of " + what + " on svctoken worker pool (queue is full)");
    }

    /**
     * The 503 for a store that cannot be reached or written. The cause goes to the log only: store messages name the
     * database (file path, JDBC host, port and database, pool state), which clients have no business knowing, and
     * Elasticsearch's answer for an unavailable {@code .security} index carries no such detail either.
     */
    public static EsException storeUnavailable(Throwable cause) {
        LOG.warn("the store is unavailable: {}", cause == null ? "unknown cause" : cause.toString());
        return new EsException("unavailable_shards_exception", 503, "the svctoken store is unavailable");
    }
}
