-- svctoken PostgreSQL store, schema version 4: the nodes sharing the store (issue #11), as db/sqlite V4.
-- Each node registers at start and heartbeats; one whose heartbeat is older than
-- svctoken.cluster.node_timeout counts as failed, older than svctoken.cluster.departed_after it is removed.
CREATE TABLE nodes (
    node_id            text    COLLATE "C" NOT NULL PRIMARY KEY,     -- the id in the node's path.data
    node_name          text    NOT NULL,
    http_address       text    NOT NULL,                             -- host:port it publishes
    version            text    NOT NULL,                             -- Elasticsearch version it emulates
    file_tokens        text    NOT NULL DEFAULT '{}' CHECK (json_typeof(file_tokens::json) = 'object'),
    started            bigint  NOT NULL,                             -- epoch millis
    heartbeat          bigint  NOT NULL,                             -- epoch millis, the node's clock
    last_applied_invalidation bigint NOT NULL DEFAULT 0              -- invalidations.seq
);
