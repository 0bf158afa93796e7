-- svctoken's SQLite schema at version 12: what Flyway's migrations leave in an empty database.
-- Written by SchemaSnapshotTest (-Dsvctoken.schema.snapshot.write=true); do not edit.
-- statement
CREATE TABLE "flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
)
-- statement
CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success")
-- statement
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
    metadata      TEXT CHECK (metadata IS NULL OR json_valid(metadata)), enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)), last_used_node TEXT, successor TEXT COLLATE BINARY,        -- JSON object
    PRIMARY KEY (principal, name)
) STRICT, WITHOUT ROWID
-- statement
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
) STRICT, WITHOUT ROWID
-- statement
CREATE TABLE metadata (
    key   TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID
-- statement
CREATE TABLE roles (
    name       TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    descriptor TEXT NOT NULL CHECK (json_valid(descriptor) AND json_type(descriptor) = 'object')
) STRICT, WITHOUT ROWID
-- statement
CREATE TABLE api_keys (
    id                TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,   -- 20-character time-based id
    name              TEXT    NOT NULL COLLATE BINARY,
    type              TEXT    NOT NULL DEFAULT 'rest' CHECK (type IN ('rest', 'cross_cluster')),
    api_key_hash      TEXT    NOT NULL,                              -- hash of the secret, never the secret
    creation_time     INTEGER NOT NULL,                              -- epoch millis
    expiration_time   INTEGER,                                       -- epoch millis; NULL = never expires
    invalidated       INTEGER NOT NULL DEFAULT 0 CHECK (invalidated IN (0, 1)),
    invalidation_time INTEGER,                                       -- epoch millis; NULL unless invalidated
    owner_username    TEXT    NOT NULL COLLATE BINARY,               -- creator.principal
    owner_realm       TEXT    NOT NULL COLLATE BINARY,               -- creator.realm
    owner_realm_type  TEXT    NOT NULL,                              -- creator.realm_type
    creator           TEXT    NOT NULL CHECK (json_valid(creator) AND json_type(creator) = 'object'),
    role_descriptors  TEXT    NOT NULL DEFAULT '{}'
                      CHECK (json_valid(role_descriptors) AND json_type(role_descriptors) = 'object'),
    limited_by_role_descriptors TEXT NOT NULL DEFAULT '{}'
                      CHECK (json_valid(limited_by_role_descriptors) AND json_type(limited_by_role_descriptors) = 'object'),
    metadata          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    version           INTEGER NOT NULL                               -- Elasticsearch version id of the creating node
) STRICT, WITHOUT ROWID
-- statement
CREATE INDEX api_keys_by_owner ON api_keys (owner_username, owner_realm)
-- statement
CREATE INDEX api_keys_by_name ON api_keys (name)
-- statement
CREATE TABLE nodes (
    node_id            TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,  -- the id in the node's path.data
    node_name          TEXT    NOT NULL,
    http_address       TEXT    NOT NULL,                             -- host:port it publishes
    version            TEXT    NOT NULL,                             -- Elasticsearch version it emulates
    file_tokens        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(file_tokens)),  -- {"ns/svc": ["name", ...]}
    started            INTEGER NOT NULL,                             -- epoch millis
    heartbeat          INTEGER NOT NULL,                             -- epoch millis, the node's clock
    last_applied_invalidation INTEGER NOT NULL DEFAULT 0             -- invalidations.seq
) STRICT, WITHOUT ROWID
-- statement
CREATE TABLE invalidations (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,        -- never reused, so a node's position stays valid
    cache      TEXT    NOT NULL,                         -- subscriber name: service_tokens, api_keys, realm:*, roles
    keys       TEXT    CHECK (keys IS NULL OR (json_valid(keys) AND json_type(keys) = 'array')),  -- NULL: whole cache
    origin     TEXT    NOT NULL,                         -- node id of the writer
    created    INTEGER NOT NULL                          -- epoch millis
) STRICT
-- statement
CREATE TABLE application_privileges (
    application TEXT NOT NULL COLLATE BINARY,
    name        TEXT NOT NULL COLLATE BINARY,
    descriptor  TEXT NOT NULL CHECK (json_valid(descriptor) AND json_type(descriptor) = 'object'),
    PRIMARY KEY (application, name)
) STRICT, WITHOUT ROWID
-- statement
CREATE TABLE service_accounts (
    principal   TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,     -- namespace/service
    roles       TEXT    NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    description TEXT,
    creator     TEXT CHECK (creator IS NULL OR (json_valid(creator) AND json_type(creator) = 'object')),
    created_at  INTEGER,
    editor      TEXT CHECK (editor IS NULL OR (json_valid(editor) AND json_type(editor) = 'object')),
    edited_at   INTEGER
) STRICT, WITHOUT ROWID
-- statement
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
) STRICT, WITHOUT ROWID
-- statement
CREATE INDEX oauth2_tokens_by_user ON oauth2_tokens (username, realm)
-- statement
CREATE INDEX oauth2_tokens_by_realm ON oauth2_tokens (realm)
-- statement
CREATE TABLE role_mappings (
    name    TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    mapping TEXT NOT NULL CHECK (json_valid(mapping) AND json_type(mapping) = 'object')
) STRICT, WITHOUT ROWID
-- statement
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
) STRICT, WITHOUT ROWID
-- statement
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires)
-- statement
CREATE INDEX console_sessions_by_last_seen ON console_sessions (last_seen)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (1, '1', 'initial schema', 'SQL', 'V1__initial_schema.sql', -1816451413, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (2, '2', 'native roles', 'SQL', 'V2__native_roles.sql', 166250937, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (3, '3', 'api keys', 'SQL', 'V3__api_keys.sql', -1898033591, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (4, '4', 'nodes', 'SQL', 'V4__nodes.sql', 368228266, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (5, '5', 'invalidations', 'SQL', 'V5__invalidations.sql', -1242192130, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (6, '6', 'token lifecycle', 'SQL', 'V6__token_lifecycle.sql', 1377644707, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (7, '7', 'application privileges', 'SQL', 'V7__application_privileges.sql', 837150113, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (8, '9', 'user managed service accounts', 'SQL', 'V9__user_managed_service_accounts.sql', 1868496519, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (9, '10', 'oauth2 tokens', 'SQL', 'V10__oauth2_tokens.sql', 577076811, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (10, '11', 'role mappings', 'SQL', 'V11__role_mappings.sql', -930135506, '', 0, 1)
-- statement
INSERT INTO "flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES (11, '12', 'console sessions', 'SQL', 'V12__console_sessions.sql', -129487146, '', 0, 1)
