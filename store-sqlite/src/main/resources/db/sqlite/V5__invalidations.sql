-- svctoken embedded store, schema version 5: the ordered invalidation log (issue #11). Every change
-- that can alter an authentication or authorization result appends a row; every node applies the rows
-- in seq order to its caches and records the last one in nodes.last_applied_invalidation. Rows every
-- node has applied are removed.
CREATE TABLE invalidations (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,        -- never reused, so a node's position stays valid
    cache      TEXT    NOT NULL,                         -- subscriber name: service_tokens, api_keys, realm:*, roles
    keys       TEXT    CHECK (keys IS NULL OR (json_valid(keys) AND json_type(keys) = 'array')),  -- NULL: whole cache
    origin     TEXT    NOT NULL,                         -- node id of the writer
    created    INTEGER NOT NULL                          -- epoch millis
) STRICT;
