-- svctoken embedded store, schema version 10: OAuth2 access and refresh tokens (POST/DELETE /_security/oauth2/token).
-- One row per access token, with its refresh token; rows are kept when invalidated. Only SHA-256 hashes of the token
-- values are stored, never the values (the values are random, 32 bytes: a plain hash cannot be reversed).
CREATE TABLE oauth2_tokens (
    access_token_hash   TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,  -- base64url SHA-256 of the access token
    refresh_token_hash  TEXT    UNIQUE COLLATE BINARY,                -- NULL when no refresh token was issued
    creation_time       INTEGER NOT NULL,                             -- epoch millis
    expiration_time     INTEGER NOT NULL,                             -- epoch millis, of the access token
    access_invalidated  INTEGER NOT NULL DEFAULT 0 CHECK (access_invalidated IN (0, 1)),
    refresh_invalidated INTEGER NOT NULL DEFAULT 0 CHECK (refresh_invalidated IN (0, 1)),
    refreshed           INTEGER NOT NULL DEFAULT 0 CHECK (refreshed IN (0, 1)),
    refresh_time        INTEGER,                                      -- epoch millis of the refresh; NULL until refreshed
    superseding         TEXT,                                         -- the pair the refresh issued, encrypted; NULL until refreshed
    username            TEXT    NOT NULL COLLATE BINARY,              -- the effective user the token represents
    realm               TEXT    NOT NULL COLLATE BINARY,              -- that user's realm name
    authentication      TEXT    NOT NULL CHECK (json_valid(authentication) AND json_type(authentication) = 'object'),
    client_username     TEXT    NOT NULL COLLATE BINARY,              -- who asked for the token (may refresh it)
    client_realm        TEXT    NOT NULL COLLATE BINARY
) STRICT, WITHOUT ROWID;

CREATE INDEX oauth2_tokens_by_user ON oauth2_tokens (username, realm);
CREATE INDEX oauth2_tokens_by_realm ON oauth2_tokens (realm);
