package io.svctoken.server.http;

import io.svctoken.server.ServerEsMessages;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.text.Levenshtein;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads a JSON object field by field, in the body's order, into a value: each field is declared with how its value
 * is read; the first unknown field or value of a wrong type is the error. The body has already passed
 * {@link JsonBody}'s rule (well-formed, no duplicate key), so the parser only sees fields once. Two of
 * Elasticsearch's families of errors exist ({@link Errors}): its {@code ObjectParser}'s
 * ({@code x_content_parse_exception} at {@code [line:col]}, "did you mean") and its hand-written request builders'
 * ({@code parse_exception}).
 *
 * @param <T> what the fields are read into
 */
public final class ObjectParser<T> {

    /** How a declared field's value is read into the target. */
    @FunctionalInterface
    public interface FieldReader<T> {
        void read(T target, Value value) throws IOException;
    }

    private final Errors errors;
    private final Supplier<T> target;
    private final Map<String, FieldReader<T>> fields = new LinkedHashMap<>();

    /** A parser whose callers give the target ({@link #parse(byte[], Object)}). */
    public ObjectParser(Errors errors) {
        this(errors, () -> {
            throw new IllegalStateException("this parser reads into a target its caller gives");
        });
    }

    public ObjectParser(Errors errors, Supplier<T> target) {
        this.errors = errors;
        this.target = target;
    }

    /** Declares a field (unknown-field suggestions list fields in declaration order). */
    public ObjectParser<T> declare(String field, FieldReader<T> reader) {
        fields.put(field, reader);
        return this;
    }

    public List<String> fieldNames() {
        return List.copyOf(fields.keySet());
    }

    /** Reads a JSON object (bytes that passed {@link JsonBody}'s rule). */
    public T parse(byte[] json) {
        return parse(json, target.get());
    }

    /** Reads a JSON object into the given target. */
    public T parse(byte[] json, T into) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            return parse(p, into);
        } catch (IOException e) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.FAILED_TO_PARSE_REQUEST_BODY);
        }
    }

    /** Reads an object already read into a tree (no line and column then). */
    public T parse(ObjectNode json) {
        return parse(json, target.get());
    }

    /** Reads an object already read into a tree into the given target. */
    public T parse(ObjectNode json, T into) {
        try (JsonParser p = Json.MAPPER.treeAsTokens(json)) {
            return parse(p, into);
        } catch (IOException e) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.FAILED_TO_PARSE_REQUEST_BODY);
        }
    }

    private T parse(JsonParser p, T t) throws IOException {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonLocation fieldAt = p.currentTokenLocation();
            p.nextToken();
            FieldReader<T> reader = fields.get(field);
            if (reader == null) {
                throw errors.unknownField(field, fieldAt, fieldNames());
            }
            reader.read(t, new Value(p, field, errors));
        }
        return t;
    }

    /** The value of one field; the parser stands on its first token. */
    public static final class Value {
        private final JsonParser p;
        private final String field;
        private final Errors errors;

        Value(JsonParser p, String field, Errors errors) {
            this.p = p;
            this.field = field;
            this.errors = errors;
        }

        public String field() {
            return field;
        }

        public JsonToken token() {
            return p.currentToken();
        }

        /** Where the parser stands (after an object was read: its end). */
        public JsonLocation location() {
            return p.currentTokenLocation();
        }

        public boolean isNull() {
            return p.currentToken() == JsonToken.VALUE_NULL;
        }

        /** A string only. */
        public String string() throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw wrongType("string");
            }
            return p.getText();
        }

        /** A JSON integer only. */
        public long int64() throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType("long");
            }
            return p.getLongValue();
        }

        /** A string, or null for JSON null. */
        public String nullableString() throws IOException {
            return isNull() ? null : string();
        }

        /** An object only. */
        public ObjectNode object() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw wrongType("object");
            }
            return (ObjectNode) Json.MAPPER.readTree(p);
        }

        /** Any value, read whole (an object, an array or a scalar). */
        public com.fasterxml.jackson.databind.JsonNode tree() throws IOException {
            return Json.MAPPER.readTree(p);
        }

        /** {@code ObjectParser.declareInt}: a JSON integer within int's range, or a string holding one. */
        public int int32() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return Integer.parseInt(p.getText());
                } catch (NumberFormatException e) {
                    throw failed(EsException.from(new IllegalArgumentException(ServerEsMessages.notAnInteger(p.getText()))));
                }
            }
            throw wrongType("int");
        }

        /** A JSON boolean only. */
        public boolean bool() {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                throw wrongType("boolean");
            }
            return t == JsonToken.VALUE_TRUE;
        }

        /** {@code ObjectParser.declareBoolean}: a boolean, or the strings {@code true}/{@code false}. */
        public boolean booleanOrString() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw wrongType("boolean");
            }
            String v = p.getText();
            if (!v.equals("true") && !v.equals("false")) {
                throw failed(EsException.from(new IllegalArgumentException(ServerEsMessages.notABoolean(v))));
            }
            return v.equals("true");
        }

        /** {@code ObjectParser.declareStringArray}: an array of scalar values (null items kept), or a single string. */
        public List<String> scalars() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_STRING) {
                return List.of(p.getText());
            }
            if (t != JsonToken.START_ARRAY) {
                throw wrongType("array");
            }
            List<String> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (!t.isScalarValue()) {
                    throw failed(null);
                }
                out.add(t == JsonToken.VALUE_NULL ? null : p.getText());
            }
            return out;
        }

        /** Elasticsearch's {@code readStringArray} of the request builders: an array of strings, never null. */
        public List<String> stringArray() throws IOException {
            if (isNull()) {
                throw new EsException(EsErrors.PARSE, 400, EsMessages.stringArrayNullValue(field));
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new EsException(EsErrors.PARSE, 400, EsMessages.stringArrayExpected(field, tokenName(p.currentToken())));
            }
            List<String> out = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new EsException(EsErrors.PARSE, 400, EsMessages.stringArrayBadElement(field, tokenName(t)));
                }
                out.add(p.getText());
            }
            return out;
        }

        /** The value of a wrong type for this field. */
        public EsException wrongType(String expected) {
            return errors.wrongType(field, expected, p.currentToken(), p.currentTokenLocation());
        }

        /** Elasticsearch's "failed to parse field" here, with its cause (null: none). */
        public EsException failed(EsException cause) {
            return errors.failedToParse(field, p.currentTokenLocation(), cause);
        }
    }

    /** The name of Elasticsearch's parser token. */
    public static String tokenName(JsonToken t) {
        return EsMessages.xContentToken(t);
    }

    /** An Elasticsearch family of body-parsing errors. */
    public interface Errors {
        EsException unknownField(String field, JsonLocation at, List<String> known);

        EsException wrongType(String field, String expected, JsonToken found, JsonLocation at);

        EsException failedToParse(String field, JsonLocation at, EsException cause);

        /**
         * Elasticsearch's {@code ObjectParser} named {@code parser}: {@code x_content_parse_exception} with
         * {@code [line:col]}, unknown fields with "did you mean".
         */
        static Errors objectParser(String parser) {
            return new Errors() {
                @Override
                public EsException unknownField(String field, JsonLocation at, List<String> known) {
                    return at(at, EsMessages.objectParserUnknownField(parser, field) + Levenshtein.didYouMean(field, known), null);
                }

                @Override
                public EsException wrongType(String field, String expected, JsonToken found, JsonLocation at) {
                    return at(at, EsMessages.objectParserUnsupportedValue(parser, field, tokenName(found)), null);
                }

                @Override
                public EsException failedToParse(String field, JsonLocation at, EsException cause) {
                    return at(at, ServerEsMessages.objectParserFailedToParseField(parser, field), cause);
                }
            };
        }

        /**
         * A request builder's: {@code parse_exception} with {@code unknownField}'s message, wrong types as
         * "expected field [f] to be of type [t] but found [T]".
         */
        static Errors requestBuilder(Function<String, String> unknownField) {
            return new Errors() {
                @Override
                public EsException unknownField(String field, JsonLocation at, List<String> known) {
                    return new EsException(EsErrors.PARSE, 400, unknownField.apply(field));
                }

                @Override
                public EsException wrongType(String field, String expected, JsonToken found, JsonLocation at) {
                    return new EsException(EsErrors.PARSE, 400, EsMessages.expectedFieldOfType(field, expected, tokenName(found)));
                }

                @Override
                public EsException failedToParse(String field, JsonLocation at, EsException cause) {
                    return new EsException(EsErrors.PARSE, 400, ServerEsMessages.objectParserFailedToParseField("request", field), cause);
                }
            };
        }

        /** {@code [line:col] message}, an {@code x_content_parse_exception}. */
        static EsException at(JsonLocation at, String message, EsException cause) {
            return new EsException(EsErrors.X_CONTENT_PARSE, 400, "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message, cause);
        }
    }
}
