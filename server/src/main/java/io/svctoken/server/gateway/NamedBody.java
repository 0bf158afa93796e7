package io.svctoken.server.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.svctoken.core.EsMessages;
import io.svctoken.core.authz.index.Need;
import io.svctoken.core.authz.index.RestRequests;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a request whose index names are only in its JSON body ({@code POST /_aliases}, {@code _reindex}), read
 * whole up to a limit (these bodies name indices, they do not carry documents), then turned into what the request
 * needs ({@link RestRequests#aliasesBody}, {@link RestRequests#reindexBody}). The bytes go upstream unchanged once
 * allowed.
 *
 * <p>Every name the body holds is read, wherever it is repeated, so that the upstream cannot act on a name that was
 * not checked. Keys that name nothing (an alias's {@code filter}, {@code routing}, a reindex's {@code query},
 * {@code script}…) are left to the upstream. A body that cannot be read is answered here with Elasticsearch's 400:
 * what was not read cannot be decided, and forwarding it undecided would let the upstream act on unchecked names.
 */
final class NamedBody {

    /** Which request the body belongs to. */
    enum Kind { ALIASES, REINDEX }

    /** A reindex from another cluster: the upstream fetches from a host the caller names, svctoken cannot check what. */
    record RemoteReindex() implements NeedOrRemote {
    }

    /** What {@link #end()} found: the need, or a remote reindex (decided as a request outside the table). */
    sealed interface NeedOrRemote permits Decided, RemoteReindex {
    }

    record Decided(Need need) implements NeedOrRemote {
    }

    private final Kind kind;
    private final int maxBody;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** @param maxBody the largest body read; a larger one is refused with 413 */
    NamedBody(Kind kind, int maxBody) {
        this.kind = kind;
        this.maxBody = maxBody;
    }

    /** The kind of a request decided from its body, or null. */
    static Kind of(String method, String rawPath) {
        String path = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (path.equals("/_aliases") && method.equals("POST")) {
            return Kind.ALIASES;
        }
        return path.equals("/_reindex") && (method.equals("POST") || method.equals("PUT")) ? Kind.REINDEX : null;
    }

    /** Feeds the next bytes, from the buffer's position to its limit; the buffer's position is not moved. */
    void feed(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (body.size() + (long) n > maxBody) {
            throw new EsException("request_entity_too_large_exception", 413,
                    ServerEsMessages.decidedBodyTooLarge(kind == Kind.ALIASES ? "_aliases" : "_reindex", maxBody));
        }
        byte[] copy = new byte[n];
        chunk.duplicate().get(copy);
        body.writeBytes(copy);
    }

    /** The body as it came. */
    byte[] bytes() {
        return body.toByteArray();
    }

    /** The body has ended: what it needs. */
    NeedOrRemote end() {
        byte[] bytes = body.toByteArray();
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new EsException(EsErrors.PARSE, 400, EsMessages.REQUEST_BODY_IS_REQUIRED);
            }
            if (t != JsonToken.START_OBJECT) {
                throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.REQUEST_BODY_MUST_BE_AN_OBJECT);
            }
            NeedOrRemote out = kind == Kind.ALIASES ? aliases(p) : reindex(p);
            if (p.nextToken() != null) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p) + ServerEsMessages.MSEARCH_TOKEN_AFTER_OBJECT);
            }
            return out;
        } catch (JsonEOFException e) {
            throw new EsException("x_content_e_o_f_exception", 400, where(e) + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(e) + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"actions":[{"add"|"remove"|"remove_index":{index|indices, alias|aliases, …}}, …]}}. */
    private static NeedOrRemote aliases(JsonParser p) throws IOException {
        List<String> indices = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        int actions = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (!key.equals("actions")) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p) + EsMessages.objectParserUnknownField("aliases", key));
            }
            if (v != JsonToken.START_ARRAY) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p)
                        + EsMessages.objectParserUnsupportedValue("aliases", "actions", tokenName(v)));
            }
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                if (v != JsonToken.START_OBJECT) {
                    throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p)
                            + EsMessages.objectParserUnsupportedValue("aliases", "actions", tokenName(v)));
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String type = p.currentName();
                    if (!type.equals("add") && !type.equals("remove") && !type.equals("remove_index")) {
                        throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p) + EsMessages.objectParserUnknownField("alias_action", type));
                    }
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p)
                                + EsMessages.objectParserUnsupportedValue("alias_action", type, tokenName(p.currentToken())));
                    }
                    int before = indices.size();
                    if (!action(p, indices, aliases)) {
                        throw EsErrors.illegalArgument(ServerEsMessages.ALIAS_ACTION_INDEX_REQUIRED);
                    }
                    if (type.equals("remove_index")) {
                        // checked for indices:admin/aliases like every action's indices, and for indices:admin/delete
                        removed.addAll(indices.subList(before, indices.size()));
                    }
                    actions++;
                }
            }
        }
        if (actions == 0) {
            throw EsErrors.validation(List.of(ServerEsMessages.ALIAS_ACTIONS_REQUIRED));
        }
        return new Decided(RestRequests.aliasesBody(indices, aliases, removed));
    }

    /** One alias action's object, the parser on its START_OBJECT: its index and alias names; false when it names no index. */
    private static boolean action(JsonParser p, List<String> indices, List<String> aliases) throws IOException {
        int before = indices.size();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (key) {
                case "index", "indices" -> names(p, v, key, indices);
                case "alias", "aliases" -> names(p, v, key, aliases);
                default -> p.skipChildren(); // filter, routing, is_write_index, must_exist…: they name no index
            }
        }
        return indices.size() > before;
    }

    /** A string or an array of strings; each string may be a comma list, as the upstream splits it. */
    private static void names(JsonParser p, JsonToken v, String field, List<String> into) throws IOException {
        if (v == JsonToken.START_ARRAY) {
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                names(p, v, field, into);
            }
            return;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw EsErrors.illegalArgument(ServerEsMessages.notANameValue(field));
        }
        for (String n : p.getText().split(",")) {
            if (!n.isEmpty()) {
                into.add(n);
            }
        }
    }

    /** {@code {"source":{"index":…, "remote":…}, "dest":{"index":…, "op_type":…}, …}}. */
    private static NeedOrRemote reindex(JsonParser p) throws IOException {
        List<String> source = new ArrayList<>();
        String dest = null;
        boolean create = false;
        boolean remote = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if ((key.equals("source") || key.equals("dest")) && v != JsonToken.START_OBJECT) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, where(p)
                        + EsMessages.objectParserUnsupportedValue("reindex", key, tokenName(v)));
            }
            if (key.equals("source")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken fv = p.nextToken();
                    if (field.equals("index")) {
                        names(p, fv, field, source);
                    } else {
                        remote |= field.equals("remote") && fv != JsonToken.VALUE_NULL;
                        p.skipChildren(); // query, size, _source, slice…: they name no index
                    }
                }
            } else if (key.equals("dest")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken fv = p.nextToken();
                    if (field.equals("index") && fv == JsonToken.VALUE_STRING) {
                        dest = p.getText();
                    } else if (field.equals("index") && fv != JsonToken.VALUE_NULL) {
                        throw EsErrors.illegalArgument(ServerEsMessages.notANameValue(field));
                    } else if (field.equals("op_type") && fv == JsonToken.VALUE_STRING) {
                        create = p.getText().equals("create");
                    } else {
                        p.skipChildren(); // version_type, pipeline, routing…
                    }
                }
            } else {
                p.skipChildren(); // conflicts, max_docs, script…: left to the upstream
            }
        }
        if (remote) {
            return new RemoteReindex();
        }
        List<String> errors = new ArrayList<>();
        if (source.isEmpty()) {
            errors.add(ServerEsMessages.REINDEX_SOURCE_REQUIRED);
        }
        if (dest == null || dest.isEmpty()) {
            errors.add(ServerEsMessages.REINDEX_DEST_REQUIRED);
        }
        if (!errors.isEmpty()) {
            throw EsErrors.validation(errors);
        }
        return new Decided(RestRequests.reindexBody(source, dest, create));
    }

    /** The token as Elasticsearch's parsers name it. */
    private static String tokenName(JsonToken t) {
        if (t == null) {
            return "null";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "VALUE_NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "VALUE_BOOLEAN";
            default -> t.name();
        };
    }

    private static String where(JsonParser p) {
        return "[" + p.currentTokenLocation().getLineNr() + ":" + p.currentTokenLocation().getColumnNr() + "] ";
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : "[" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() + "] ";
    }
}
