package io.svctoken.core.enroll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Elasticsearch's enrollment token: Base64 of the compact JSON
 * {@code {"ver","adr","fgr","key"}} in that order. {@code key} is the API key's {@code id:secret}, so
 * the whole token is a secret: {@code toString()} never shows it.
 */
public final class EnrollmentToken {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String version;
    private final List<String> addresses;
    private final String fingerprint;
    private final Secret apiKey;

    public EnrollmentToken(String version, List<String> addresses, String fingerprint, Secret apiKey) {
        this.version = Objects.requireNonNull(version);
        this.addresses = List.copyOf(addresses);
        if (fingerprint == null || !fingerprint.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("the CA fingerprint must be 64 hexadecimal characters");
        }
        this.fingerprint = fingerprint.toLowerCase(Locale.ROOT);
        this.apiKey = Objects.requireNonNull(apiKey);
    }

    /** Lower-case hex SHA-256 of a certificate's DER encoding. */
    public static String fingerprint(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public String version() {
        return version;
    }

    public List<String> addresses() {
        return addresses;
    }

    /** Lower-case hex, 64 characters. */
    public String fingerprint() {
        return fingerprint;
    }

    /** {@code id:secret} of the API key. */
    public Secret apiKey() {
        return apiKey;
    }

    /** The value of an {@code Authorization: ApiKey <value>} header for this token's key. */
    public Secret apiKeyHeaderValue() {
        byte[] raw = apiKey.utf8Bytes(SecretAccess.plaintext());
        try {
            return Secret.of(Base64.getEncoder().encodeToString(raw));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Standard-alphabet padded Base64 of the compact JSON (identical to URL-safe for this content). */
    public Secret encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("ver", version);
        addresses.forEach(o.putArray("adr")::add);
        o.put("fgr", fingerprint);
        o.put("key", apiKey.revealAsString(SecretAccess.plaintext()));
        byte[] json = o.toString().getBytes(StandardCharsets.UTF_8);
        try {
            return Secret.of(Base64.getEncoder().encodeToString(json));
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    /**
     * Decodes a token as Kibana does: either Base64 alphabet, JSON with string {@code ver}, {@code fgr},
     * {@code key} and an array of strings {@code adr}.
     *
     * @throws IllegalArgumentException {@code Invalid enrollment token} with the reason (never the token)
     */
    public static EnrollmentToken decode(CharSequence token) {
        String t = token.toString().trim();
        byte[] json;
        try {
            json = (t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid enrollment token: not Base64");
        }
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid enrollment token: not JSON");
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid enrollment token");
        } finally {
            Arrays.fill(json, (byte) 0);
        }
        if (n == null || !n.isObject() || !text(n, "ver") || !text(n, "fgr") || !text(n, "key") || !n.path("adr").isArray()) {
            throw new IllegalArgumentException("Invalid enrollment token: expected ver, adr, fgr and key");
        }
        List<String> adr = new ArrayList<>();
        for (JsonNode a : n.get("adr")) {
            if (!a.isTextual()) {
                throw new IllegalArgumentException("Invalid enrollment token: adr must hold strings");
            }
            adr.add(a.asText());
        }
        if (n.get("key").asText().indexOf(':') < 0) {
            throw new IllegalArgumentException("Invalid enrollment token: key must be id:secret");
        }
        return new EnrollmentToken(n.get("ver").asText(), adr, n.get("fgr").asText(), Secret.of(n.get("key").asText()));
    }

    private static boolean text(JsonNode n, String field) {
        return n.path(field).isTextual();
    }

    @Override
    public String toString() {
        return "EnrollmentToken[ver=" + version + ", adr=" + addresses + ", fgr=" + fingerprint + ", key=redacted]";
    }
}
