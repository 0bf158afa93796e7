-- svctoken PostgreSQL store, schema version 12: the management console's sessions (/_svctoken/console/session).
-- Only the SHA-256 hash of a session id is stored, never the id (the ids are random, 32 bytes: a plain hash cannot be
-- reversed). The principal is a reference, resolved again on every request: a realm's user, or an API key's id.
CREATE TABLE console_sessions (
    id_hash     text    COLLATE "C" NOT NULL PRIMARY KEY,     -- base64url SHA-256 of the session id
    kind        text    NOT NULL CHECK (kind IN ('realm', 'api_key')),
    username    text    COLLATE "C" NOT NULL,                 -- the user, or the API key's owner
    realm       text    COLLATE "C" NOT NULL,                 -- the user's realm name (the key owner's for an API key)
    api_key_id  text    COLLATE "C",                          -- NULL for a realm user
    csrf_token  text    NOT NULL,
    created     bigint  NOT NULL,                             -- epoch millis
    last_seen   bigint  NOT NULL,                             -- epoch millis, written at most once a minute
    expires     bigint  NOT NULL,                             -- epoch millis: created plus the maximum lifetime
    CHECK ((kind = 'api_key') = (api_key_id IS NOT NULL))
);

CREATE INDEX console_sessions_by_expiry ON console_sessions (expires);
CREATE INDEX console_sessions_by_last_seen ON console_sessions (last_seen);
