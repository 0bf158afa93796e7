-- svctoken embedded store, schema version 1.
--
-- Never edit this file once released: Flyway checksums applied migrations. Every later change
-- (api_keys, native-user extras, role mappings, ...) comes in a new migration, V2__..., V3__...,
-- and SqliteStore.SCHEMA_VERSION is raised with it.
--
-- Tables are STRICT (column types enforced). Text compares with the BINARY collation, so
-- ORDER BY name gives the byte order of UTF-8, the same as Java String order for ASCII names.
-- JSON columns hold JSON text and are checked with json_valid.

-- API-created service-account tokens. (principal, name) is the token id and decides duplicates.
CREATE TABLE service_account_tokens (
    principal     TEXT    NOT NULL COLLATE BINARY,   -- namespace/service
    name          TEXT    NOT NULL COLLATE BINARY,   -- token name
    password_hash TEXT    NOT NULL,                  -- hash of the secret, never the secret
    creation_time INTEGER NOT NULL,                  -- epoch millis
    version       INTEGER NOT NULL,                  -- Elasticsearch version id of the creating node
    creator       TEXT CHECK (creator IS NULL OR json_valid(creator)),          -- JSON object
    -- Reserved for later features, nullable and unused in version 1:
    expires_at    INTEGER,                                                      -- epoch millis
    last_used_at  INTEGER,                                                      -- epoch millis
    metadata      TEXT CHECK (metadata IS NULL OR json_valid(metadata)),        -- JSON object
    PRIMARY KEY (principal, name)
) STRICT, WITHOUT ROWID;

-- Users of the embedded store (the reserved elastic user now, native users later).
CREATE TABLE users (
    username      TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,
    password_hash TEXT,
    roles         TEXT    NOT NULL DEFAULT '[]'
                  CHECK (json_valid(roles) AND json_type(roles) = 'array'),      -- JSON array of strings
    full_name     TEXT,
    email         TEXT,
    metadata      TEXT    NOT NULL DEFAULT '{}'
                  CHECK (json_valid(metadata)),                                  -- JSON object
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1))
) STRICT, WITHOUT ROWID;

-- Small persistent facts about the cluster and node (cluster uuid, node id, first-start marks).
CREATE TABLE metadata (
    key   TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
