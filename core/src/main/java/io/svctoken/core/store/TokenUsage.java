package io.svctoken.core.store;

import io.svctoken.core.token.TokenId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The last use of index tokens, noted on the authentication path and written off it. Writing on every request
 * is what made Elasticsearch refuse a last-used field (its API keys, elastic/elasticsearch#54789); here a token's
 * use is noted at most once per {@code interval}: a note within the interval of the previous one is a map read
 * and a clock read, nothing else. {@link #flush} writes the notes in one batch (the node schedules it), so at most
 * one write per token per interval reaches the store; the store keeps the newest time when several nodes write.
 */
public final class TokenUsage {

    private static final Logger LOG = LoggerFactory.getLogger(TokenUsage.class);

    /** When a token's use was last noted on this node. */
    private static final class Slot {
        volatile long noted;

        Slot(long noted) {
            this.noted = noted;
        }
    }

    private static final AtomicLongFieldUpdater<Slot> NOTED = AtomicLongFieldUpdater.newUpdater(Slot.class, "noted");

    private final ConcurrentHashMap<TokenId, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TokenId, Long> pending = new ConcurrentHashMap<>();
    private final long intervalMillis;
    private final Clock clock;

    public TokenUsage(Duration interval, Clock clock) {
        this.intervalMillis = interval.toMillis();
        this.clock = Objects.requireNonNull(clock);
    }

    /** A successful authentication of index token {@code id}: cheap when it was noted within the interval. */
    public void used(TokenId id) {
        long now = clock.millis();
        Slot s = slots.get(id);
        if (s == null) {
            Slot fresh = new Slot(now);
            s = slots.putIfAbsent(id, fresh);
            if (s == null) {
                pending.put(id, now);
                return;
            }
        }
        long noted = s.noted;
        if (now - noted < intervalMillis || !NOTED.compareAndSet(s, noted, now)) {
            return; // noted recently, or another thread notes it now
        }
        pending.put(id, now);
    }

    /** Forgets a deleted token (its slot would otherwise stay until the node stops). */
    public void forget(TokenId id) {
        slots.remove(id);
        pending.remove(id);
    }

    /** How many tokens wait for the next flush. */
    public int pending() {
        return pending.size();
    }

    /**
     * Writes the noted uses in one batch (blocks: run it off the request path). A failed write puts them back for
     * the next flush.
     *
     * @return the number of tokens written
     */
    public int flush(TokenRepository repository, String nodeName) {
        Map<TokenId, Long> batch = new HashMap<>();
        for (Map.Entry<TokenId, Long> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                batch.put(e.getKey(), e.getValue());
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            repository.recordLastUsed(batch, nodeName);
        } catch (RuntimeException e) {
            batch.forEach((id, at) -> pending.merge(id, at, Math::max));
            LOG.warn("could not record the last use of {} service tokens (tried again later): {}", batch.size(), e.getMessage());
            return 0;
        }
        return batch.size();
    }
}
