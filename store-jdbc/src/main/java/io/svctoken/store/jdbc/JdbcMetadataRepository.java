package io.svctoken.store.jdbc;

import io.svctoken.core.store.MetadataRepository;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** Small persistent facts, table {@code metadata}: key and value. */
public final class JdbcMetadataRepository implements MetadataRepository {

    private static final String SELECT = "SELECT value FROM metadata WHERE key = ?";

    private final Jdbc jdbc;

    public JdbcMetadataRepository(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    @Override
    public Optional<String> getMetadata(String key) {
        Objects.requireNonNull(key, "key");
        return jdbc.one("get metadata [" + key + "]", SELECT, p -> p.text(key), rs -> rs.getString(1));
    }

    /** Insert unless present, then read what is there, in one transaction: every caller gets the one stored value. */
    @Override
    public String putMetadataIfAbsent(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return jdbc.transaction("put metadata [" + key + "]", c -> {
            Jdbc.update(c, "INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    p -> p.text(key).text(value));
            return Jdbc.one(c, SELECT, p -> p.text(key), rs -> rs.getString(1))
                    .orElseThrow(() -> new SQLException("row vanished inside its own transaction"));
        });
    }

    @Override
    public boolean removeMetadata(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return jdbc.update("remove metadata [" + key + "]", "DELETE FROM metadata WHERE key = ? AND value = ?",
                p -> p.text(key).text(value)) == 1;
    }
}
