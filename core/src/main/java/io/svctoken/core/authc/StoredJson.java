package io.svctoken.core.authc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON the store keeps (user metadata, role descriptors, an API key's creator and descriptors), read
 * into Jackson trees: the domain keeps such user-supplied objects as opaque, ordered data. Read as the
 * server reads request bodies (duplicate keys are an error, comments allowed). Responses are rendered by
 * the server, never here.
 */
public final class StoredJson {

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build());

    private StoredJson() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** @throws Exception when {@code json} is not JSON */
    public static JsonNode read(String json) throws Exception {
        return MAPPER.readTree(json);
    }
}
