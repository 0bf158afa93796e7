package io.svctoken.server.rest;

import io.svctoken.core.EsMessages;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenNames;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parameter parsing shared by the service-account handlers. */
final class RestSupport {

    static final Set<String> REFRESH = Set.of("refresh");

    private RestSupport() {
    }

    /** {@code refresh}: true, false, wait_for, or empty (= true). Accepted for compatibility; every write is durable at once. */
    static void checkRefresh(RestRequest request) {
        String v = request.param("refresh");
        if (v != null && !v.isEmpty() && !v.equals("true") && !v.equals("false") && !v.equals("wait_for")) {
            throw EsErrors.illegalArgument(EsMessages.unknownRefreshValue(v));
        }
    }

    /** Request validation of create/delete (rest-api §1.2): all errors, numbered. */
    static ServiceAccountId validateTokenRequest(String namespace, String service, String name) {
        List<String> errors = new ArrayList<>();
        if (namespace == null || namespace.isEmpty()) {
            errors.add(EsMessages.NAMESPACE_REQUIRED);
        }
        if (service == null || service.isEmpty()) {
            errors.add(EsMessages.SERVICE_REQUIRED);
        }
        if (name != null && !TokenNames.isValid(name)) {
            errors.add(EsMessages.invalidTokenName(name));
        }
        if (!errors.isEmpty()) {
            throw EsErrors.validation(errors);
        }
        return accountId(namespace, service);
    }

    /** An account id from path segments; blank parts are reported like request validation. */
    static ServiceAccountId accountId(String namespace, String service) {
        try {
            return new ServiceAccountId(namespace, service);
        } catch (IllegalArgumentException e) {
            throw EsErrors.illegalArgument(e.getMessage());
        }
    }

    /**
     * A request string kept in a text column of the store: U+0000 is refused (400) on every store, as
     * PostgreSQL's text cannot hold it; strings inside JSON fields (metadata) are stored escaped and keep it.
     */
    static String storableText(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw io.svctoken.server.http.EsErrors.illegalArgument(io.svctoken.core.EsMessages.nulCharacterNotAllowed(field));
        }
        return value;
    }
}
