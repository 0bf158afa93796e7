package io.svctoken.core.store;

import java.util.Objects;

/**
 * A signed-in session of the management console. The session id is a random secret the browser holds in a cookie;
 * only its SHA-256 hash is stored ({@code idHash}), so a copy of the database cannot be replayed as a cookie. The
 * principal is kept as a reference (a realm's user, or an API key's id), never as its privileges: it is resolved
 * again on every request, so a disabled user or an invalidated key ends the session.
 *
 * @param idHash         base64url SHA-256 of the session id
 * @param kind           {@link #REALM} (a user of {@code realm}) or {@link #API_KEY} (the key {@code apiKeyId})
 * @param username       the user, or the API key's owner (shown, not trusted)
 * @param realm          the user's realm name; for an API key its owner's realm name
 * @param apiKeyId       the API key's id; null for a realm user
 * @param csrfToken      what every change sent with the cookie must carry in {@code X-CSRF-Token}
 * @param lastSeenMillis the last request's time, written at most once per touch interval
 * @param expiresMillis  the absolute end of the session (created plus the maximum lifetime)
 */
public record ConsoleSessionRecord(String idHash, String kind, String username, String realm, String apiKeyId, String csrfToken,
                                   long createdMillis, long lastSeenMillis, long expiresMillis) {

    public static final String REALM = "realm";
    public static final String API_KEY = "api_key";

    public ConsoleSessionRecord {
        Objects.requireNonNull(idHash, "idHash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(csrfToken, "csrfToken");
        if (!kind.equals(REALM) && !kind.equals(API_KEY)) {
            throw new IllegalArgumentException("unknown console session kind [" + kind + "]");
        }
        if (kind.equals(API_KEY) != (apiKeyId != null)) {
            throw new IllegalArgumentException("an API key session names its key, a realm session none");
        }
    }

    /** The same session seen at {@code millis}. */
    public ConsoleSessionRecord seenAt(long millis) {
        return new ConsoleSessionRecord(idHash, kind, username, realm, apiKeyId, csrfToken, createdMillis, millis, expiresMillis);
    }

    @Override
    public String toString() {
        // never the id hash or the CSRF token
        return "ConsoleSessionRecord[" + kind + " " + username + "@" + realm + (apiKeyId == null ? "" : " key " + apiKeyId)
                + ", created " + createdMillis + ", last seen " + lastSeenMillis + ", expires " + expiresMillis + "]";
    }
}
