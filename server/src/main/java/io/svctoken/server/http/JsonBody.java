package io.svctoken.server.http;

import io.svctoken.server.ServerEsMessages;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.EsMessages;

import java.io.IOException;

/**
 * The one rule every JSON request body follows, whichever API reads it ({@link Json#FACTORY}'s: Elasticsearch's
 * parser settings); it is checked in full before the API looks at any field.
 * <ul>
 *   <li>Jackson's read errors (malformed JSON, a key repeated in any object, invalid UTF-8 anywhere) are
 *       Elasticsearch's {@code x_content_parse_exception} {@code [line:col] <Jackson's message>}, Jackson's
 *       own {@code json_parse_exception} as its cause. Jackson's {@code at [Source: …]} suffix is left out:
 *       it can quote the body, passwords included.</li>
 *   <li>A token after the root value is Elasticsearch's {@code parsing_exception}
 *       {@code Unexpected token [T] found after the main object.} with its {@code line} and {@code col}
 *       (the trailing-token check of Elasticsearch's search API, applied to every body); white space after
 *       it is fine.</li>
 * </ul>
 */
public final class JsonBody {

    private JsonBody() {
    }

    /** The root value with every string decoded, or null for a body of white space only. */
    public static JsonNode read(byte[] body) {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() == null) {
                return null;
            }
            JsonNode root = Json.MAPPER.readTree(p);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw trailing(after, p.currentTokenLocation());
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            // a decoding error outside Jackson's own (a body taken for UTF-32 by its zero bytes)
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.FAILED_TO_PARSE_REQUEST_BODY + ": " + e.getMessage());
        }
    }

    /** A Jackson read error as Elasticsearch reports it (a body cut short is its {@code XContentEOFException}). */
    public static EsException syntaxError(JsonProcessingException e) {
        String jackson = e.getOriginalMessage();
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "[" + at.getLineNr() + ":" + at.getColumnNr() + "] ";
        String type = e instanceof JsonEOFException ? "x_content_e_o_f_exception" : EsErrors.X_CONTENT_PARSE;
        return new EsException(type, 400, where + jackson,
                EsException.nestedCause(EsErrors.typeOf(e), jackson));
    }

    private static EsException trailing(JsonToken token, JsonLocation at) {
        return new EsException("parsing_exception", 400, ServerEsMessages.tokenAfterMainObject(EsMessages.xContentToken(token)))
                .withMetadata("line", at.getLineNr())
                .withMetadata("col", at.getColumnNr());
    }
}
