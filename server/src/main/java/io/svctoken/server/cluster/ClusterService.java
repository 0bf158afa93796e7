package io.svctoken.server.cluster;

import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.InvalidationEvent;
import io.svctoken.core.store.ClusterRepository.NodeRecord;
import io.svctoken.core.store.ClusterRepository;
import io.svctoken.core.store.Revocation;
import io.svctoken.server.settings.ClusterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * This node among the nodes sharing the store: it registers and heartbeats (table {@code nodes}), applies
 * the invalidation log to its caches in order on one listening thread, and lets a write publish an
 * invalidation and wait until every live node applied it ({@link #invalidate}).
 *
 * <p>Live, failed, departed: a node whose heartbeat is at most {@code node_timeout} old is live; older, it is
 * failed (reported under {@code _nodes.failed}, never waited for); older than {@code departed_after}, its row
 * is removed. Heartbeats are the writing node's clock: the nodes' clocks must agree (NTP) to well within
 * {@code node_timeout}.
 */
public final class ClusterService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    private static final int BATCH = 500;
    private static final long ACK_POLL_MILLIS = 10;

    /** This node, as it registers. */
    public record Self(String nodeId, String nodeName, String httpAddress, String version) {
    }

    /** A node that did not apply an invalidation: silent (failed) or too slow. */
    public record Failure(String nodeId, String nodeName, String httpAddress, boolean silent) {
    }

    /**
     * The answer of every registered node to one invalidation.
     *
     * @param seq        the invalidation's place in the log (0: it could not be published)
     * @param successful the nodes that applied it, by id
     */
    public record Ack(long seq, List<NodeRecord> successful, List<Failure> failed) {
        public int total() {
            return successful.size() + failed.size();
        }
    }

    /** The service's store threads, for blocking registry reads of request handlers. */
    public Executor executor() {
        return publisher;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** The registered nodes as this node sees them now: live ones and failed (silent) ones. */
    public record View(List<NodeRecord> live, List<NodeRecord> failed) {
    }

    private record Pending(long seq, long deadlineNanos, CompletableFuture<Ack> future) {
    }

    private final ClusterRepository repository;
    private final InvalidationBus bus;
    private final ClusterSettings settings;
    /** {@code max_staleness} in nanoseconds, read on every request (see {@link #cachesUsable()}). */
    private final long maxStalenessNanos;
    private final Self self;
    private final Supplier<String> fileTokensJson;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor publisher;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    /**
     * The acknowledgement check is scheduled only while a write waits for acknowledgements: a check every
     * {@link #ACK_POLL_MILLIS} ms of an empty queue woke a thread 100 times a second on an idle node, which took the
     * event loops' cores from them.
     */
    private final AtomicBoolean ackCheckArmed = new AtomicBoolean();
    private final Thread listener;
    private final long started;
    private volatile long applied;
    private volatile boolean closed;
    private volatile boolean readFailing;
    /** {@link System#nanoTime()} of the last complete read of the log. */
    private volatile long lastRead = System.nanoTime();
    private volatile boolean stale;

    private ClusterService(ClusterRepository repository, InvalidationBus bus, ClusterSettings settings, Self self,
                           Supplier<String> fileTokensJson, Clock clock) {
        this.repository = repository;
        this.bus = bus;
        this.settings = settings;
        this.maxStalenessNanos = settings.maxStaleness().toNanos();
        this.self = self;
        this.fileTokensJson = fileTokensJson;
        this.clock = clock;
        this.started = clock.millis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("svctoken-cluster-heartbeat"));
        AtomicInteger n = new AtomicInteger();
        // store writes of invalidations: never on the event loop, never queued behind password hashing
        this.publisher = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "svctoken-cluster-publisher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.listener = daemon("svctoken-cluster-listener").newThread(this::listen);
    }

    /**
     * Registers this node (it has applied every invalidation so far: its caches are empty) and starts the
     * heartbeat and the listener.
     *
     * @throws io.svctoken.core.store.StoreException when the store cannot be written
     */
    public static ClusterService start(ClusterRepository repository, InvalidationBus bus, ClusterSettings settings, Self self,
                                       Supplier<String> fileTokensJson, Clock clock) {
        ClusterService s = new ClusterService(repository, bus, settings, self, fileTokensJson, clock);
        s.applied = repository.lastInvalidation();
        s.register();
        s.listener.start();
        long hb = settings.heartbeatInterval().toMillis();
        s.scheduler.scheduleWithFixedDelay(s::heartbeat, hb, hb, TimeUnit.MILLISECONDS);
        return s;
    }

    public Self self() {
        return self;
    }

    /** The {@code seq} of the last invalidation this node applied. */
    public long applied() {
        return applied;
    }

    /** The {@code seq} of the newest invalidation in the store's log (0: none), read from the store: blocking. */
    public long newestInvalidation() {
        return repository.lastInvalidation();
    }

    private void register() {
        repository.registerNode(new NodeRecord(self.nodeId(), self.nodeName(), self.httpAddress(), self.version(), fileTokensJson.get(),
                started, clock.millis(), applied));
    }

    private void heartbeat() {
        try {
            long now = clock.millis();
            if (!repository.heartbeat(self.nodeId(), now, applied, fileTokensJson.get())) {
                LOG.warn("node [{}] was removed from the store's node registry (silent for longer than the departure limit); registering"
                        + " again", self.nodeName());
                // events it never applied may have been trimmed meanwhile: forget everything instead
                clearAll("re-registered");
                register();
            }
            for (String gone : repository.removeNodesSilentSince(now - settings.departedAfter().toMillis())) {
                LOG.info("node [{}] departed: no heartbeat for more than {}", gone, settings.departedAfter());
            }
            trim();
        } catch (RuntimeException e) {
            LOG.warn("cluster heartbeat failed: {}", e.getMessage());
        }
    }

    /** Removes the log rows every registered node applied. */
    private void trim() {
        long min = Long.MAX_VALUE;
        for (NodeRecord n : repository.nodes()) {
            min = Math.min(min, n.lastAppliedInvalidation());
        }
        if (min != Long.MAX_VALUE && min > 0) {
            repository.trimInvalidations(min);
        }
    }

    // ---------------------------------------------------------------- applying the log

    private void listen() {
        long poll = settings.pollInterval().toMillis();
        while (!closed) {
            try {
                drain();
                repository.awaitPublish(poll);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!readFailing) {
                    LOG.warn("cannot read the invalidation log (trying again every {}): {}", settings.pollInterval(), e.getMessage());
                    readFailing = true;
                }
                try {
                    Thread.sleep(poll);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Applies every event after {@link #applied}, in order, then records how far. */
    private void drain() {
        long before = applied;
        List<InvalidationEvent> events;
        do {
            events = repository.invalidationsAfter(applied, BATCH);
            for (InvalidationEvent e : events) {
                bus.apply(e);
                applied = e.seq();
            }
        } while (events.size() == BATCH);
        if (readFailing) {
            LOG.info("reading the invalidation log again");
            readFailing = false;
        }
        if (stale || System.nanoTime() - lastRead > settings.maxStaleness().toNanos()) {
            // it may have been removed as departed, and events it missed trimmed: forget everything
            clearAll("the invalidation log could be read again after more than " + settings.maxStaleness());
            stale = false;
        }
        lastRead = System.nanoTime();
        if (applied != before) {
            repository.applied(self.nodeId(), applied);
        }
    }

    private void clearAll(String why) {
        LOG.info("clearing every cache: {}", why);
        bus.apply(new InvalidationEvent(applied, "*", null, self.nodeId()));
    }

    /**
     * Whether caches of store-backed credentials may answer: false once this node could not read the
     * invalidation log for longer than {@code max_staleness} (it could miss a revocation), until it reads it
     * again. Cheap: for every request.
     */
    public boolean cachesUsable() {
        if (System.nanoTime() - lastRead <= maxStalenessNanos) {
            return true;
        }
        if (!stale) {
            stale = true;
            LOG.warn("the invalidation log could not be read for more than {}: credentials kept in the store are verified against"
                    + " the store, not the caches, until it can", settings.maxStaleness());
        }
        return false;
    }

    // ---------------------------------------------------------------- publishing

    /**
     * The event a revoking write appends in its own transaction, from this node now.
     *
     * @param keys null: the whole cache
     */
    public Revocation revocation(String cache, List<String> keys) {
        return new Revocation(cache, keys, self.nodeId(), clock.millis());
    }

    /**
     * Completes once every live node applied the committed event {@code seq} (of a {@link Revocation}), or
     * after {@code ack_timeout} with the nodes that did not. Never completes exceptionally.
     */
    public CompletableFuture<Ack> acknowledged(long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq " + seq);
        }
        CompletableFuture<Ack> f = new CompletableFuture<>();
        Pending p = new Pending(seq, System.nanoTime() + settings.ackTimeout().toNanos(), f);
        pending.add(p);
        if (closed && pending.remove(p)) {
            // close() may have drained the waiting writes already
            f.complete(unpublished());
        }
        armAckCheck();
        return f;
    }

    /**
     * Publishes an invalidation that follows no change (clearing caches) and completes once every live
     * node applied it, or after {@code ack_timeout} with the nodes that did not. Never completes
     * exceptionally: a publish that fails (the store is down) answers with every other node failed, this
     * node's caches being cleared by the caller directly. A change's event commits in the change's transaction
     * instead ({@link #revocation}).
     *
     * @param keys null: the whole cache
     */
    public CompletableFuture<Ack> invalidate(String cache, List<String> keys) {
        Objects.requireNonNull(cache, "cache");
        CompletableFuture<Ack> f = new CompletableFuture<>();
        try {
            publisher.execute(() -> {
                long seq;
                try {
                    seq = repository.publish(cache, keys, self.nodeId(), clock.millis());
                } catch (RuntimeException e) {
                    LOG.warn("could not publish the invalidation of [{}] to the other nodes; their caches may keep the old entry for"
                            + " up to the cache ttl: {}", cache, e.getMessage());
                    f.complete(unpublished());
                    return;
                }
                pending.add(new Pending(seq, System.nanoTime() + settings.ackTimeout().toNanos(), f));
                armAckCheck();
            });
        } catch (RejectedExecutionException e) {
            f.complete(unpublished());
        }
        return f;
    }

    private Ack unpublished() {
        List<Failure> failed = new ArrayList<>();
        List<NodeRecord> ok = new ArrayList<>();
        ok.add(new NodeRecord(self.nodeId(), self.nodeName(), self.httpAddress(), self.version(), "{}", started, clock.millis(), applied));
        try {
            for (NodeRecord n : repository.nodes()) {
                if (!n.nodeId().equals(self.nodeId())) {
                    failed.add(new Failure(n.nodeId(), n.nodeName(), n.httpAddress(), false));
                }
            }
        } catch (RuntimeException ignored) {
            // the store is down: only this node is known
        }
        return new Ack(0, ok, failed);
    }

    /** One read of the registry for every waiting write. */
    /** Schedules the next acknowledgement check unless one is scheduled already. */
    private void armAckCheck() {
        if (closed || !ackCheckArmed.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::checkPendingAndRearm, ACK_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            ackCheckArmed.set(false); // closing: close() completes what waits
        }
    }

    private void checkPendingAndRearm() {
        try {
            checkPending();
        } finally {
            // disarmed before looking again, so a write added meanwhile either sees it disarmed or is seen here
            ackCheckArmed.set(false);
            if (!pending.isEmpty()) {
                armAckCheck();
            }
        }
    }

    private void checkPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<NodeRecord> nodes;
        try {
            nodes = repository.nodes();
        } catch (RuntimeException e) {
            nodes = null;
        }
        long now = clock.millis();
        long nowNanos = System.nanoTime();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            boolean expired = nowNanos - p.deadlineNanos() >= 0;
            if (nodes == null) {
                if (expired) {
                    it.remove();
                    p.future().complete(unpublished());
                }
                continue;
            }
            List<NodeRecord> ok = new ArrayList<>();
            List<Failure> failed = new ArrayList<>();
            boolean waiting = false;
            for (NodeRecord n : nodes) {
                boolean live = isLive(n, now);
                boolean done = n.lastAppliedInvalidation() >= p.seq() || (n.nodeId().equals(self.nodeId()) && applied >= p.seq());
                if (done && live) {
                    ok.add(n);
                } else if (!live) {
                    failed.add(new Failure(n.nodeId(), n.nodeName(), n.httpAddress(), true));
                } else {
                    waiting = true;
                    failed.add(new Failure(n.nodeId(), n.nodeName(), n.httpAddress(), false));
                }
            }
            if (!waiting || expired) {
                it.remove();
                if (!failed.isEmpty()) {
                    LOG.warn("invalidation [{}] was not applied by {} node(s) within {}: {}", p.seq(), failed.size(), settings.ackTimeout(),
                            failed.stream().map(x -> x.nodeName() + (x.silent() ? " (no heartbeat)" : " (slow)")).toList());
                }
                p.future().complete(new Ack(p.seq(), ok, failed));
            }
        }
    }

    private boolean isLive(NodeRecord n, long now) {
        return n.nodeId().equals(self.nodeId()) ? !closed : now - n.heartbeatMillis() <= settings.nodeTimeout().toMillis();
    }

    /** The registered nodes now, live and failed; this node is live. */
    public View view() {
        long now = clock.millis();
        List<NodeRecord> live = new ArrayList<>();
        List<NodeRecord> failed = new ArrayList<>();
        for (NodeRecord n : repository.nodes()) {
            (isLive(n, now) ? live : failed).add(n);
        }
        return new View(live, failed);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops heartbeating and listening and leaves the registry (a stopped node is not a failed one). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        publisher.shutdown();
        listener.interrupt();
        try {
            listener.join(2000);
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p; (p = pending.poll()) != null; ) {
            p.future().complete(unpublished());
        }
        try {
            repository.removeNode(self.nodeId());
        } catch (RuntimeException e) {
            LOG.debug("could not leave the node registry: {}", e.getMessage());
        }
    }
}
