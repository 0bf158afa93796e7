package io.svctoken.core.store;

import java.util.Optional;

/** Small persistent facts about the cluster (cluster uuid, first-start marks); a node's own id is in its data directory. */
public interface MetadataRepository {

    Optional<String> getMetadata(String key);

    /** Stores {@code value} unless {@code key} is set; returns the value now stored (atomically). */
    String putMetadataIfAbsent(String key, String value);

    /** Removes {@code key} if it still holds {@code value}; true for the one caller whose removal took effect. */
    boolean removeMetadata(String key, String value);
}
