package io.svctoken.core.store;

import java.util.Optional;

/** Small persistent facts about the cluster and node (cluster uuid, node id, first-start marks). */
public interface MetadataRepository {

    Optional<String> getMetadata(String key);

    /** Stores {@code value} unless {@code key} is set; returns the value now stored (atomically). */
    String putMetadataIfAbsent(String key, String value);
}
