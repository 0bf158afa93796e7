-- svctoken PostgreSQL store, schema version 1: the same tables as the SQLite store's version 1
-- (db/sqlite), in PostgreSQL types. Versions go in step with db/sqlite: a V<n> added there is added
-- here, and PostgresqlStore.SCHEMA_VERSION is raised with it.
--
-- Never edit this file once released: Flyway checksums applied migrations.
--
-- Key columns use the "C" collation, so ORDER BY gives byte order, as SQLite's BINARY does.
-- JSON columns hold the JSON text exactly as given (text, not jsonb, which would reorder keys and
-- respace), checked to parse: a cast that fails rejects the row.

-- API-created service-account tokens. (principal, name) is the token id and decides duplicates.
CREATE TABLE service_account_tokens (
    principal     text    COLLATE "C" NOT NULL,          -- namespace/service
    name          text    COLLATE "C" NOT NULL,          -- token name
    password_hash text    NOT NULL,                      -- hash of the secret, never the secret
    creation_time bigint  NOT NULL,                      -- epoch millis
    version       integer NOT NULL,                      -- Elasticsearch version id of the creating node
    creator       text CHECK (creator IS NULL OR json_typeof(creator::json) IS NOT NULL),       -- JSON object
    -- Reserved for later features, nullable and unused in version 1:
    expires_at    bigint,                                                                     -- epoch millis
    last_used_at  bigint,                                                                     -- epoch millis
    metadata      text CHECK (metadata IS NULL OR json_typeof(metadata::json) IS NOT NULL),   -- JSON object
    PRIMARY KEY (principal, name)
);

-- Users of the store (the reserved elastic user, native users).
CREATE TABLE users (
    username      text    COLLATE "C" NOT NULL PRIMARY KEY,
    password_hash text,
    roles         text    NOT NULL DEFAULT '[]' CHECK (json_typeof(roles::json) = 'array'),  -- JSON array of strings
    full_name     text,
    email         text,
    metadata      text    NOT NULL DEFAULT '{}' CHECK (json_typeof(metadata::json) IS NOT NULL),   -- JSON object
    enabled       boolean NOT NULL DEFAULT TRUE
);

-- Small persistent facts about the cluster and node (cluster uuid, node id, first-start marks).
CREATE TABLE metadata (
    key   text COLLATE "C" NOT NULL PRIMARY KEY,
    value text NOT NULL
);
