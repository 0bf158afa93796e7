package io.svctoken.server.http;

import io.svctoken.server.ServerEsMessages;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request URIs split and decoded by Elasticsearch's rules, which differ from Netty's and the JDK's: a
 * {@code %%} is one {@code %}, {@code +} is a space in the query but not in the path, and a malformed
 * escape is an {@link IllegalArgumentException} worded as there (the answer is a 400, not a dropped
 * connection).
 */
public final class UrlDecoding {

    private UrlDecoding() {
    }

    /** The path as sent: up to the {@code ?}, or else up to a {@code #}. */
    public static String rawPath(String uri) {
        int q = uri.indexOf('?');
        if (q >= 0) {
            return uri.substring(0, q);
        }
        int hash = uri.indexOf('#');
        return hash >= 0 ? uri.substring(0, hash) : uri;
    }

    /**
     * The decoded query parameters (between the first {@code ?} and a {@code #}, split at {@code &} and
     * {@code ;}); a name without {@code =} has the empty value, and the last of repeated names wins.
     *
     * @throws IllegalArgumentException for a malformed escape in a name or value
     */
    public static Map<String, String> queryParams(String uri) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        if (q < 0) {
            return params;
        }
        int hash = uri.indexOf('#');
        int end = hash >= 0 ? hash : uri.length();
        int start = q + 1;
        while (start < end) {
            int sep = start;
            while (sep < end && uri.charAt(sep) != '&' && uri.charAt(sep) != ';') {
                sep++;
            }
            if (sep > start) {
                String pair = uri.substring(start, sep);
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    params.put(decodeComponent(pair, true), "");
                } else if (eq > 0) {
                    params.put(decodeComponent(pair.substring(0, eq), true), decodeComponent(pair.substring(eq + 1), true));
                } else if (pair.length() > 1) {
                    // Elasticsearch reads "=value" as a name without a value
                    params.put(decodeComponent(pair.substring(1), true), "");
                }
            }
            start = sep + 1;
        }
        return params;
    }

    /** A path parameter: escapes decoded, {@code +} kept. */
    static String pathComponent(String s) {
        return decodeComponent(s, false);
    }

    /**
     * Decodes {@code %XX} escapes (and {@code +} as a space when asked) as UTF-8; other characters stand
     * for their low byte, as the request line is read as ISO-8859-1.
     */
    static String decodeComponent(String s, boolean plusAsSpace) {
        if (s.indexOf('%') < 0 && (!plusAsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && plusAsSpace) {
                out.write(' ');
            } else if (c != '%') {
                out.write((byte) c);
            } else if (i == s.length() - 1) {
                throw new IllegalArgumentException(ServerEsMessages.unterminatedEscape(s));
            } else if (s.charAt(i + 1) == '%') {
                out.write('%');
                i++;
            } else if (i + 1 == s.length() - 1) {
                throw new IllegalArgumentException(ServerEsMessages.partialEscape(s));
            } else {
                int hi = hexDigit(s.charAt(i + 1));
                int lo = hexDigit(s.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(ServerEsMessages.invalidEscape(s, i));
                }
                out.write(hi * 16 + lo);
                i += 2;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
