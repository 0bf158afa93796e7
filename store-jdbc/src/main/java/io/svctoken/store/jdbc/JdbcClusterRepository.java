package io.svctoken.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.cluster.InvalidationEvent;
import io.svctoken.core.store.ClusterRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/** Tables {@code nodes} and {@code invalidations}: the nodes sharing the store and the ordered invalidation log. */
public final class JdbcClusterRepository implements ClusterRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE_COLUMNS = "node_id, node_name, http_address, version, file_tokens, started, heartbeat,"
            + " last_applied_invalidation";

    private final Jdbc jdbc;
    private final InvalidationLog log;
    private final PublishSignal signal;

    JdbcClusterRepository(Jdbc jdbc, InvalidationLog log, PublishSignal signal) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
        this.signal = Objects.requireNonNull(signal, "signal");
    }

    @Override
    public void registerNode(NodeRecord n) {
        jdbc.transaction("register node [" + n.nodeId() + "]", c -> {
            Jdbc.update(c, "DELETE FROM nodes WHERE node_id = ?", p -> p.text(n.nodeId()));
            return Jdbc.update(c, "INSERT INTO nodes (" + NODE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    p -> p.text(n.nodeId()).text(n.nodeName()).text(n.httpAddress()).text(n.version()).text(n.fileTokensJson())
                            .int64(n.startedMillis()).int64(n.heartbeatMillis()).int64(n.lastAppliedInvalidation()));
        });
    }

    @Override
    public boolean heartbeat(String nodeId, long nowMillis, long lastApplied, String fileTokensJson) {
        return jdbc.update("heartbeat of node [" + nodeId + "]", "UPDATE nodes SET heartbeat = ?, file_tokens = ?,"
                        + " last_applied_invalidation = CASE WHEN last_applied_invalidation > ? THEN last_applied_invalidation ELSE ? END"
                        + " WHERE node_id = ?",
                p -> p.int64(nowMillis).text(fileTokensJson).int64(lastApplied).int64(lastApplied).text(nodeId)) == 1;
    }

    @Override
    public void applied(String nodeId, long lastApplied) {
        jdbc.update("record applied invalidations of node [" + nodeId + "]",
                "UPDATE nodes SET last_applied_invalidation = ? WHERE node_id = ? AND last_applied_invalidation < ?",
                p -> p.int64(lastApplied).text(nodeId).int64(lastApplied));
    }

    @Override
    public List<NodeRecord> nodes() {
        return jdbc.list("list nodes", "SELECT " + NODE_COLUMNS + " FROM nodes ORDER BY node_id", p -> {
        }, JdbcClusterRepository::node);
    }

    private static NodeRecord node(ResultSet rs) throws SQLException {
        return new NodeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8));
    }

    @Override
    public void removeNode(String nodeId) {
        jdbc.update("remove node [" + nodeId + "]", "DELETE FROM nodes WHERE node_id = ?", p -> p.text(nodeId));
    }

    @Override
    public List<String> removeNodesSilentSince(long beforeMillis) {
        return jdbc.transaction("remove departed nodes", c -> {
            List<String> ids = Jdbc.list(c, "SELECT node_id FROM nodes WHERE heartbeat < ? ORDER BY node_id", p -> p.int64(beforeMillis),
                    rs -> rs.getString(1));
            for (String id : ids) {
                Jdbc.update(c, "DELETE FROM nodes WHERE node_id = ? AND heartbeat < ?", p -> p.text(id).int64(beforeMillis));
            }
            return ids;
        });
    }

    @Override
    public long publish(String cache, List<String> keys, String origin, long nowMillis) {
        Objects.requireNonNull(cache, "cache");
        long seq = jdbc.transaction("publish invalidation of [" + cache + "]", c -> log.append(c, cache, keys, origin, nowMillis));
        log.committed(null, seq);
        return seq;
    }

    @Override
    public List<InvalidationEvent> invalidationsAfter(long seq, int limit) {
        return jdbc.list("read invalidations", "SELECT seq, cache, keys, origin FROM invalidations WHERE seq > ? ORDER BY seq LIMIT ?",
                p -> p.int64(seq).int32(limit), rs -> new InvalidationEvent(rs.getLong(1), rs.getString(2), keys(rs.getString(3)),
                        rs.getString(4)));
    }

    @Override
    public long lastInvalidation() {
        return jdbc.one("read the last invalidation", "SELECT coalesce(max(seq), 0) FROM invalidations", p -> {
        }, rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public int trimInvalidations(long seq) {
        return jdbc.update("trim invalidations", "DELETE FROM invalidations WHERE seq <= ?", p -> p.int64(seq));
    }

    @Override
    public void awaitPublish(long timeoutMillis) throws InterruptedException {
        signal.await(timeoutMillis);
    }

    private static List<String> keys(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new SQLException("invalidation keys are not a JSON array of strings", e);
        }
    }
}
