package io.svctoken.core.authc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's {@code creator} object, stored with new service tokens and API keys: the effective
 * subject (principal, full_name, email, metadata, realm, realm_type). A stored form the store keeps as
 * JSON text, not a response.
 */
public final class Creator {

    private Creator() {
    }

    public static ObjectNode of(Authentication authentication) {
        ObjectNode c = StoredJson.object();
        if (authentication instanceof UserAuthentication u) {
            c.put("principal", u.user().username());
            c.put("full_name", u.user().fullName());
            c.put("email", u.user().email());
            c.set("metadata", u.user().metadata());
        } else if (authentication instanceof ServiceAccountAuthn sa) {
            c.put("principal", sa.principal());
            c.put("full_name", sa.authentication().account().fullName());
            c.putNull("email");
            c.putObject("metadata").put(sa.authentication().account().metadataMarker(), true);
        } else {
            // An API key: its owner, from the API key realm (Elasticsearch records the effective subject's realm, _es_api_key).
            ApiKeyAuthn k = (ApiKeyAuthn) authentication;
            c.put("principal", k.owner());
            c.set("full_name", ownerField(k, "full_name"));
            c.set("email", ownerField(k, "email"));
            c.set("metadata", ownerMetadata(k));
        }
        RealmRef realm = authentication.effectiveRealm();
        c.put("realm", realm.name());
        c.put("realm_type", realm.type());
        return c;
    }

    /** A field of an API key owner's stored creator object; JSON null when absent. */
    public static JsonNode ownerField(ApiKeyAuthn key, String field) {
        JsonNode n = key.creator().get(field);
        return n == null ? StoredJson.object().nullNode() : n;
    }

    /** The metadata of an API key's owner as stored with the key; empty when absent. */
    public static ObjectNode ownerMetadata(ApiKeyAuthn key) {
        JsonNode m = key.creator().get("metadata");
        return m instanceof ObjectNode o ? o : StoredJson.object();
    }
}
