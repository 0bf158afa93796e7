-- svctoken PostgreSQL store, schema version 5: the ordered invalidation log (issue #11), as db/sqlite V5.
-- Writers hold a transaction-scoped advisory lock from the insert to the commit, so seq order is commit
-- order: a node that read seq n never finds a smaller one committed later. After the commit the writer's
-- NOTIFY svctoken_invalidation wakes the nodes' LISTEN connections; they also poll the table.
CREATE TABLE invalidations (
    seq        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cache      text    NOT NULL,                         -- subscriber name: service_tokens, api_keys, realm:*, roles
    keys       text    CHECK (keys IS NULL OR json_typeof(keys::json) = 'array'),  -- NULL: whole cache
    origin     text    NOT NULL,                         -- node id of the writer
    created    bigint  NOT NULL                          -- epoch millis
);
