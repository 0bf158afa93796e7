package io.svctoken.server.cluster;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.core.store.MetadataRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What belongs to this node alone, in {@code path.data}: the lock that keeps a second node off the
 * directory ({@code node.lock}, held with an OS file lock for the node's life, as Elasticsearch holds its
 * own) and the node's id ({@code node.id}). The id is not in the store: several nodes share one
 * PostgreSQL database, and each needs its own.
 */
public final class NodeDataDirectory implements AutoCloseable {

    public static final String LOCK_FILE = "node.lock";
    public static final String NODE_ID_FILE = "node.id";
    /** Where versions before issue #11 kept the node id: the store's metadata. */
    static final String LEGACY_METADATA_KEY = "node.id";

    private static final Logger LOG = LoggerFactory.getLogger(NodeDataDirectory.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private NodeDataDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dataPath} if needed and locks it for this node.
     *
     * @throws IllegalStateException with Elasticsearch's text when another node (of any process) holds it,
     *                               or the lock file cannot be created
     */
    public static NodeDataDirectory lock(Path dataPath) {
        Path dir = dataPath.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, posix("rwxr-x---"));
            }
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("locked by another process");
            }
            return new NodeDataDirectory(dir, channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            // OverlappingFileLockException: another node of this JVM holds it
            closeQuietly(channel);
            throw new IllegalStateException(ServerEsMessages.failedToObtainNodeLocks("[" + dir + "]"), e);
        }
    }

    public Path path() {
        return dir;
    }

    /**
     * This node's id: {@code node.id} of the data directory; else the id an older version kept in the store,
     * taken out of it (only one node can take it); else a new one. Written before it is used, so a restart
     * keeps it.
     */
    public String nodeId(MetadataRepository legacy) {
        Path file = dir.resolve(NODE_ID_FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!ID.matcher(id).matches()) {
                    throw new IllegalStateException("the node id file [" + file + "] does not hold a node id; remove it to give"
                            + " this node a new id");
                }
                return id;
            }
            String id = taken(legacy).orElseGet(NodeDataDirectory::randomId);
            Path tmp = dir.resolve(NODE_ID_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.writeString(Files.createFile(tmp, posix("rw-r-----")), id + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the node id file [" + file + "]: " + e, e);
        }
    }

    private static Optional<String> taken(MetadataRepository legacy) {
        Optional<String> old = legacy.getMetadata(LEGACY_METADATA_KEY).filter(v -> ID.matcher(v).matches());
        if (old.isPresent() && legacy.removeMetadata(LEGACY_METADATA_KEY, old.get())) {
            LOG.info("moved the node id [{}] from the store into the data directory", old.get());
            return old;
        }
        return Optional.empty();
    }

    /** A 22-character URL-safe id, the shape of Elasticsearch's node ids and uuids. */
    public static String randomId() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static FileAttribute<?>[] posix(String mode) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
