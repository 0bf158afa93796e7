-- svctoken PostgreSQL store, schema version 10: OAuth2 access and refresh tokens (POST/DELETE /_security/oauth2/token).
-- One row per access token, with its refresh token; rows are kept when invalidated. Only SHA-256 hashes of the token
-- values are stored, never the values (the values are random, 32 bytes: a plain hash cannot be reversed).
CREATE TABLE oauth2_tokens (
    access_token_hash   text    COLLATE "C" NOT NULL PRIMARY KEY,     -- base64url SHA-256 of the access token
    refresh_token_hash  text    COLLATE "C" UNIQUE,                   -- NULL when no refresh token was issued
    creation_time       bigint  NOT NULL,                             -- epoch millis
    expiration_time     bigint  NOT NULL,                             -- epoch millis, of the access token
    access_invalidated  boolean NOT NULL DEFAULT FALSE,
    refresh_invalidated boolean NOT NULL DEFAULT FALSE,
    refreshed           boolean NOT NULL DEFAULT FALSE,
    refresh_time        bigint,                                       -- epoch millis of the refresh; NULL until refreshed
    superseding         text,                                         -- the pair the refresh issued, encrypted; NULL until refreshed
    username            text    COLLATE "C" NOT NULL,                 -- the effective user the token represents
    realm               text    COLLATE "C" NOT NULL,                 -- that user's realm name
    authentication      text    NOT NULL CHECK (json_typeof(authentication::json) = 'object'),
    client_username     text    COLLATE "C" NOT NULL,                 -- who asked for the token (may refresh it)
    client_realm        text    COLLATE "C" NOT NULL
);

CREATE INDEX oauth2_tokens_by_user ON oauth2_tokens (username, realm);
CREATE INDEX oauth2_tokens_by_realm ON oauth2_tokens (realm);
