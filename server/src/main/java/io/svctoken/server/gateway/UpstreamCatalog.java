package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.svctoken.core.authz.index.InMemoryIndexCatalog;
import io.svctoken.core.authz.index.IndexCatalog;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.UrlDecoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The upstream's index, alias and data-stream names, as its {@code GET /_resolve/index/*?expand_wildcards=all} gives
 * them (with the gateway's upstream credentials, over the gateway's pooled connections, never blocking a thread).
 * A snapshot is used for at most {@code catalog_refresh}; a request naming a concrete name the snapshot lacks, or
 * coming when it is older, waits for one refresh. At most one refresh is in flight; the others wait for it. A failed
 * refresh keeps the last snapshot (a concrete name it lacks is then checked as written, as Elasticsearch checks names
 * that do not exist) and is not retried for stale age before {@code catalog_refresh} has passed again.
 */
final class UpstreamCatalog implements Supplier<IndexCatalog> {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCatalog.class);
    static final String PATH = "/_resolve/index/*?expand_wildcards=all";
    /** An answer larger than this is a broken upstream, not a list of names. */
    private static final int MAX_BYTES = 64 << 20;

    private final Upstreams upstreams;
    private final long refreshNanos;
    private final long timeoutNanos;
    private volatile IndexCatalog snapshot = IndexCatalog.empty();
    /** When the last refresh (successful or not) started; 0: never. */
    private volatile long checkedAt;
    private volatile boolean stale = true;
    private CompletableFuture<IndexCatalog> inFlight;

    UpstreamCatalog(Upstreams upstreams, long refreshNanos, long timeoutNanos) {
        this.upstreams = upstreams;
        this.refreshNanos = refreshNanos;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public IndexCatalog get() {
        return snapshot;
    }

    /** The snapshot is out of date: a request that changes names (index creation, deletion, aliases) was answered. */
    void invalidate() {
        stale = true;
    }

    /**
     * Whether a successful request may have created, removed or renamed names wildcards see: index creation and
     * deletion ({@code PUT}/{@code DELETE /{i}}), aliases, data streams, open/close, rollover, shrink/split/clone.
     * Indices auto-created by document writes are seen at the next refresh, or at once by a request naming them.
     */
    static boolean changesNames(String method, String uri) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        String path = UrlDecoding.rawPath(uri);
        String[] s = path.substring(path.startsWith("/") ? 1 : 0).split("/");
        if (s.length == 1 && !s[0].isEmpty() && !s[0].startsWith("_")) {
            return method.equals("PUT") || method.equals("DELETE");
        }
        for (String part : s) {
            if (Set.of("_alias", "_aliases", "_data_stream", "_open", "_close", "_rollover", "_shrink", "_split", "_clone").contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Completes (on any thread) once the snapshot is fit to decide a request naming {@code concrete}. */
    CompletableFuture<IndexCatalog> current(EventLoop loop, Collection<String> concrete) {
        IndexCatalog now = snapshot;
        boolean old = stale || System.nanoTime() - checkedAt > refreshNanos;
        boolean unknown = false;
        for (String n : concrete) {
            if (now.find(n).isEmpty()) {
                unknown = true;
                break;
            }
        }
        return old || unknown ? refresh(loop) : CompletableFuture.completedFuture(now);
    }

    private synchronized CompletableFuture<IndexCatalog> refresh(EventLoop loop) {
        if (inFlight != null) {
            return inFlight;
        }
        CompletableFuture<IndexCatalog> f = new CompletableFuture<>();
        inFlight = f;
        checkedAt = System.nanoTime();
        stale = false;
        new Fetch(loop, f).start();
        return f.whenComplete((c, e) -> {
            synchronized (this) {
                inFlight = null;
            }
        });
    }

    private void loaded(CompletableFuture<IndexCatalog> f, IndexCatalog c, String failure) {
        if (c != null) {
            snapshot = c;
        } else {
            LOG.warn("cannot refresh the upstream's index names, keeping the last ones: {}", failure);
        }
        f.complete(snapshot);
    }

    /** One {@code _resolve/index} request on a pooled connection of {@code loop}. */
    private final class Fetch implements UpstreamRelay.User {
        private final EventLoop loop;
        private final CompletableFuture<IndexCatalog> result;
        private Upstreams.Upstream upstream;
        private Channel ch;
        private CompositeByteBuf body;
        private int status;
        private boolean keepAlive;
        private boolean done;
        private ScheduledFuture<?> timer;

        Fetch(EventLoop loop, CompletableFuture<IndexCatalog> result) {
            this.loop = loop;
            this.result = result;
        }

        void start() {
            loop.execute(() -> {
                upstream = upstreams.pick(null);
                timer = loop.schedule(() -> finish(null, "no answer within [" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms]"),
                        timeoutNanos, TimeUnit.NANOSECONDS);
                upstreams.acquire(upstream, loop).addListener((Future<Channel> f) -> acquired(f));
            });
        }

        private void acquired(Future<Channel> f) {
            if (!f.isSuccess()) {
                finish(null, "cannot reach [" + upstream + "]: " + f.cause());
                return;
            }
            ch = f.getNow();
            if (done) {
                upstreams.release(upstream, ch);
                return;
            }
            ch.pipeline().get(UpstreamRelay.class).exchange = this;
            ch.config().setAutoRead(true);
            ch.writeAndFlush(upstreams.ownGet(upstream, PATH));
        }

        @Override
        public void fromUpstream(Object msg) {
            try {
                if (done) {
                    return;
                }
                if (msg instanceof HttpResponse r) {
                    status = r.status().code();
                    keepAlive = HttpUtil.isKeepAlive(r);
                    body = ch.alloc().compositeBuffer();
                }
                if (msg instanceof HttpContent c && body != null) {
                    if (body.readableBytes() + c.content().readableBytes() > MAX_BYTES) {
                        finish(null, "an answer larger than [" + MAX_BYTES + "] bytes");
                        return;
                    }
                    body.addComponent(true, c.content().retain());
                    if (c instanceof LastHttpContent) {
                        if (status != 200) {
                            finish(null, "status [" + status + "]");
                            return;
                        }
                        IndexCatalog parsed;
                        try (InputStream in = new ByteBufInputStream(body.duplicate())) {
                            parsed = parse(Json.MAPPER.readTree(in));
                        } catch (IOException | RuntimeException e) {
                            finish(null, "an answer that is not the names: " + e.getMessage());
                            return;
                        }
                        finish(parsed, null);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void upstreamFailed(Throwable cause) {
            finish(null, "the connection closed" + (cause == null ? "" : ": " + cause.getMessage()));
        }

        private void finish(IndexCatalog parsed, String failure) {
            if (done) {
                return;
            }
            done = true;
            if (timer != null) {
                timer.cancel(false);
            }
            if (body != null) {
                body.release();
                body = null;
            }
            if (ch != null) {
                ch.pipeline().get(UpstreamRelay.class).exchange = null;
                if (parsed != null && keepAlive) {
                    upstreams.release(upstream, ch);
                } else {
                    ch.close();
                }
            }
            loaded(result, parsed, failure);
        }
    }

    /** Elasticsearch's and OpenSearch's {@code _resolve/index} answer: {@code indices}, {@code aliases}, {@code data_streams}. */
    static IndexCatalog parse(JsonNode root) {
        List<IndexCatalog.Entry> entries = new ArrayList<>();
        for (JsonNode i : root.path("indices")) {
            List<String> attributes = new ArrayList<>();
            i.path("attributes").forEach(a -> attributes.add(a.asText()));
            String ds = i.hasNonNull("data_stream") ? i.get("data_stream").asText() : null;
            entries.add(new IndexCatalog.Entry(i.path("name").asText(), IndexCatalog.Kind.INDEX, attributes.contains("hidden"),
                    attributes.contains("closed"), attributes.contains("system"), List.of(), ds));
        }
        for (JsonNode a : root.path("aliases")) {
            entries.add(new IndexCatalog.Entry(a.path("name").asText(), IndexCatalog.Kind.ALIAS, false, false, false,
                    texts(a.path("indices")), null));
        }
        for (JsonNode d : root.path("data_streams")) {
            entries.add(new IndexCatalog.Entry(d.path("name").asText(), IndexCatalog.Kind.DATA_STREAM, false, false, false,
                    texts(d.path("backing_indices")), null));
        }
        return new InMemoryIndexCatalog(entries);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
