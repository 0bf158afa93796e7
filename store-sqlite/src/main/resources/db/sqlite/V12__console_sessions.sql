-- svctoken embedded store, schema version 12: the management console's sessions (/_svctoken/console/session).
-- Only the SHA-256 hash of a session id is stored, never the id (the ids are random, 32 bytes: a plain hash cannot be
-- reversed). The principal is a reference, resolved again on every request: a realm's user, or an API key's id.
CREATE TABLE console_sessions (
    id_hash     TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,  -- base64url SHA-256 of the session id
    kind        TEXT    NOT NULL CHECK (kind IN ('realm', 'api_key')),
    username    TEXT    NOT NULL COLLATE BINARY,              -- the user, or the API key's owner
    realm       TEXT    NOT NULL COLLATE BINARY,              -- the user's realm name (the key owner's for an API key)
    api_key_id  TEXT    COLLATE BINARY,                       -- NULL for a realm user
    csrf_token  TEXT    NOT NULL,
    created     INTEGER NOT NULL,                             -- epoch millis
    last_seen   INTEGER NOT NULL,                             -- epoch millis, written at most once a minute
    expires     INTEGER NOT NULL,                             -- epoch millis: created plus the maximum lifetime
    CHECK ((kind = 'api_key') = (api_key_id IS NOT NULL))
) STRICT, WITHOUT ROWID;

CREATE INDEX console_sessions_by_expiry ON console_sessions (expires);
CREATE INDEX console_sessions_by_last_seen ON console_sessions (last_seen);
