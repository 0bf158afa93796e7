package io.svctoken.core.token;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The Elasticsearch service-token bearer format: standard Base64 without padding of
 * {@code 00 01 00 01 <ns/svc/name> ':' <secret>}.
 *
 * <p>{@link #decode} answers {@link Optional#empty()} for "not a service token" (the request falls
 * through to the other authenticators). A present result is a service token: every later failure
 * is final.
 */
public final class TokenCodec {

    /** Magic 0x00, token type 0x01, reserved 0x00, format version 0x01. */
    private static final byte[] PREFIX = {0, 1, 0, 1};

    private TokenCodec() {
    }

    public static Secret encode(ServiceAccountToken token) {
        byte[] name = token.qualifiedName().getBytes(StandardCharsets.UTF_8);
        byte[] secret = token.secret().utf8Bytes(SecretAccess.plaintext());
        byte[] raw = new byte[PREFIX.length + name.length + 1 + secret.length];
        System.arraycopy(PREFIX, 0, raw, 0, PREFIX.length);
        System.arraycopy(name, 0, raw, PREFIX.length, name.length);
        raw[PREFIX.length + name.length] = ':';
        System.arraycopy(secret, 0, raw, PREFIX.length + name.length + 1, secret.length);
        byte[] encoded = Base64.getEncoder().withoutPadding().encode(raw);
        char[] chars = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            chars[i] = (char) encoded[i];
        }
        Arrays.fill(raw, (byte) 0);
        Arrays.fill(secret, (byte) 0);
        Arrays.fill(encoded, (byte) 0);
        Secret out = Secret.copyOf(chars);
        Arrays.fill(chars, '\0');
        return out;
    }

    /** Parses the part of the {@code Authorization} header after {@code Bearer }. Never throws. */
    public static Optional<ServiceAccountToken> decode(CharSequence bearer) {
        if (bearer == null || bearer.length() == 0) {
            return Optional.empty();
        }
        byte[] raw = null;
        char[] chars = null;
        try {
            // Base64 characters are ASCII; anything else is simply not a token.
            byte[] ascii = new byte[bearer.length()];
            for (int i = 0; i < ascii.length; i++) {
                char c = bearer.charAt(i);
                if (c > 0x7f) {
                    return Optional.empty();
                }
                ascii[i] = (byte) c;
            }
            raw = Base64.getDecoder().decode(ascii); // standard alphabet; padding optional
            Arrays.fill(ascii, (byte) 0);
            if (raw.length < PREFIX.length) {
                return Optional.empty();
            }
            for (int i = 0; i < PREFIX.length; i++) {
                if (raw[i] != PREFIX[i]) {
                    return Optional.empty();
                }
            }
            chars = utf8(raw, PREFIX.length);
            int colon = indexOf(chars, ':');
            if (colon < 0) {
                return Optional.empty();
            }
            String qualified = new String(chars, 0, colon);
            int s1 = qualified.indexOf('/');
            int s2 = s1 < 0 ? -1 : qualified.indexOf('/', s1 + 1);
            if (s1 < 0 || s2 < 0 || qualified.indexOf('/', s2 + 1) >= 0) {
                return Optional.empty(); // exactly three parts
            }
            String namespace = qualified.substring(0, s1);
            String service = qualified.substring(s1 + 1, s2);
            String name = qualified.substring(s2 + 1);
            if (namespace.isBlank() || service.isBlank() || !TokenNames.isValid(name)) {
                return Optional.empty();
            }
            TokenId id = new TokenId(new ServiceAccountId(namespace, service), name);
            return Optional.of(new ServiceAccountToken(id, Secret.copyOf(chars, colon + 1, chars.length)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        } finally {
            if (raw != null) {
                Arrays.fill(raw, (byte) 0);
            }
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    private static char[] utf8(byte[] raw, int offset) throws CharacterCodingException {
        // Nearly every token is ASCII (the names are, the generated secrets are): its characters are its bytes, without
        // the decoder and its buffers made per call.
        char[] ascii = new char[raw.length - offset];
        for (int i = offset; i < raw.length; i++) {
            if (raw[i] < 0) {
                Arrays.fill(ascii, '\0');
                return decodeUtf8(raw, offset);
            }
            ascii[i - offset] = (char) raw[i];
        }
        return ascii;
    }

    private static char[] decodeUtf8(byte[] raw, int offset) throws CharacterCodingException {
        // Like Elasticsearch's reader, malformed sequences become U+FFFD rather than failing.
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer cb = dec.decode(ByteBuffer.wrap(raw, offset, raw.length - offset));
        char[] out = Arrays.copyOfRange(cb.array(), cb.position(), cb.limit());
        Arrays.fill(cb.array(), '\0');
        return out;
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
