package io.svctoken.server.rest;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;

/** Checks shared by the endpoints. */
final class RestSupport {

    private RestSupport() {
    }

    /**
     * A request string kept in a text column of the store: U+0000 is refused (400) on every store, as
     * PostgreSQL's text cannot hold it; strings inside JSON fields (metadata) are stored escaped and keep it.
     */
    static String storableText(String field, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw EsErrors.illegalArgument(ServerEsMessages.nulCharacterNotAllowed(field));
        }
        return value;
    }
}
