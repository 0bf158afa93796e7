-- svctoken PostgreSQL store, schema version 3: API keys (POST/GET/DELETE /_security/api_key).
-- One row per key, the fields of Elasticsearch's api_key document. Keys are never deleted by the
-- APIs: invalidation sets the flag and its time. The secret is stored only as a hash.
CREATE TABLE api_keys (
    id                text    COLLATE "C" NOT NULL PRIMARY KEY,      -- 20-character time-based id
    name              text    COLLATE "C" NOT NULL,
    type              text    NOT NULL DEFAULT 'rest' CHECK (type IN ('rest', 'cross_cluster')),
    api_key_hash      text    NOT NULL,                              -- hash of the secret, never the secret
    creation_time     bigint  NOT NULL,                              -- epoch millis
    expiration_time   bigint,                                        -- epoch millis; NULL = never expires
    invalidated       boolean NOT NULL DEFAULT FALSE,
    invalidation_time bigint,                                        -- epoch millis; NULL unless invalidated
    owner_username    text    COLLATE "C" NOT NULL,                  -- creator.principal
    owner_realm       text    COLLATE "C" NOT NULL,                  -- creator.realm
    owner_realm_type  text    NOT NULL,                              -- creator.realm_type
    creator           text    NOT NULL CHECK (json_typeof(creator::json) = 'object'),
    role_descriptors  text    NOT NULL DEFAULT '{}' CHECK (json_typeof(role_descriptors::json) = 'object'),
    limited_by_role_descriptors text NOT NULL DEFAULT '{}' CHECK (json_typeof(limited_by_role_descriptors::json) = 'object'),
    metadata          text    NOT NULL DEFAULT '{}' CHECK (json_typeof(metadata::json) = 'object'),
    version           integer NOT NULL                               -- Elasticsearch version id of the creating node
);

CREATE INDEX api_keys_by_owner ON api_keys (owner_username, owner_realm);
CREATE INDEX api_keys_by_name ON api_keys (name);
