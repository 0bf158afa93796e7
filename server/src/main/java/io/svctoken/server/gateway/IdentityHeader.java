package io.svctoken.server.gateway;

import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.settings.GatewaySettings;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The caller's identity for the upstream ({@code svctoken.gateway.identity_header}): {@code key=value} fields joined by
 * {@code ;}, each value percent-encoded (every byte of its UTF-8 form but {@code A-Z a-z 0-9 - . _ ~}):
 * {@code v=1;principal=…;realm=…;realm_type=…;authentication_type=realm|token|api_key}, then {@code api_key_id} and
 * {@code api_key_name} for an API key, {@code token_name} for a service token, {@code authenticated_by} under run-as.
 * With a signing key, {@code ;ts=<unix seconds>;sig=<HMAC-SHA256 of everything before ";sig=", base64url without
 * padding>} follow: the upstream recomputes the HMAC, compares in constant time and refuses an old {@code ts}.
 */
final class IdentityHeader {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    final String name;
    private final SecretKeySpec key;
    private final Clock clock;
    /** A Mac is not thread-safe; one per event loop thread, initialised once. */
    private final ThreadLocal<Mac> macs;

    /** @return the header for the settings, or null when none is configured */
    static IdentityHeader of(GatewaySettings settings, Clock clock) {
        return settings.identityHeader().map(n -> new IdentityHeader(n, settings.identitySigningKey(), clock)).orElse(null);
    }

    private IdentityHeader(String name, Optional<Secret> signingKey, Clock clock) {
        this.name = name;
        this.clock = clock;
        this.key = signingKey.map(k -> new SecretKeySpec(k.utf8Bytes(SecretAccess.plaintext()), "HmacSHA256")).orElse(null);
        this.macs = key == null ? null : ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The header's value for this caller. */
    String value(Authentication who) {
        StringBuilder b = new StringBuilder(160).append("v=1");
        field(b, "principal", who.principal());
        field(b, "realm", who.effectiveRealm().name());
        field(b, "realm_type", who.effectiveRealm().type());
        if (who instanceof UserAuthentication u) {
            field(b, "authentication_type", "realm");
            if (u.isRunAs()) {
                field(b, "authenticated_by", u.authenticatingUser().username());
            }
        } else if (who instanceof ServiceAccountAuthn s) {
            field(b, "authentication_type", "token");
            field(b, "token_name", s.authentication().tokenName());
        } else if (who instanceof ApiKeyAuthn k) {
            field(b, "authentication_type", "api_key");
            field(b, "api_key_id", k.id());
            field(b, "api_key_name", k.name());
        }
        if (key == null) {
            return b.toString();
        }
        field(b, "ts", Long.toString(clock.millis() / 1000));
        byte[] sig = macs.get().doFinal(b.toString().getBytes(StandardCharsets.UTF_8));
        return b.append(";sig=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(sig)).toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(';').append(name).append('=');
        if (value == null) {
            return;
        }
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }
}
