-- svctoken embedded store, schema version 3: API keys (POST/GET/DELETE /_security/api_key).
-- One row per key, the fields of Elasticsearch's api_key document. Keys are never deleted by the
-- APIs: invalidation sets the flag and its time. The secret is stored only as a hash.
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
) STRICT, WITHOUT ROWID;

CREATE INDEX api_keys_by_owner ON api_keys (owner_username, owner_realm);
CREATE INDEX api_keys_by_name ON api_keys (name);
