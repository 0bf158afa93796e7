-- svctoken embedded store, schema version 4: the nodes sharing the store (issue #11). Each node
-- registers at start and heartbeats; one whose heartbeat is older than svctoken.cluster.node_timeout
-- counts as failed, older than svctoken.cluster.departed_after it is removed. With SQLite there is one
-- node; it registers all the same, so the code paths are those of a cluster.
CREATE TABLE nodes (
    node_id            TEXT    NOT NULL PRIMARY KEY COLLATE BINARY,  -- the id in the node's path.data
    node_name          TEXT    NOT NULL,
    http_address       TEXT    NOT NULL,                             -- host:port it publishes
    version            TEXT    NOT NULL,                             -- Elasticsearch version it emulates
    file_tokens        TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(file_tokens)),  -- {"ns/svc": ["name", ...]}
    started            INTEGER NOT NULL,                             -- epoch millis
    heartbeat          INTEGER NOT NULL,                             -- epoch millis, the node's clock
    last_applied_invalidation INTEGER NOT NULL DEFAULT 0             -- invalidations.seq
) STRICT, WITHOUT ROWID;
