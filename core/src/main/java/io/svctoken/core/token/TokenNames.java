package io.svctoken.core.token;

import io.svctoken.core.EsMessages;

/** The token-name rule of Elasticsearch: {@code ^[a-zA-Z0-9-][a-zA-Z0-9_-]{0,255}$}. */
public final class TokenNames {

    public static final int MAX_LENGTH = 256;

    private TokenNames() {
    }

    /** Hand-rolled instead of a regex: it runs on every bearer header and must not allocate. */
    public static boolean isValid(CharSequence name) {
        if (name == null) {
            return false;
        }
        int len = name.length();
        if (len < 1 || len > MAX_LENGTH) {
            return false;
        }
        if (name.charAt(0) == '_') {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @throws IllegalArgumentException with Elasticsearch's exact message */
    public static String validate(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(EsMessages.invalidTokenName(name));
        }
        return name;
    }
}
