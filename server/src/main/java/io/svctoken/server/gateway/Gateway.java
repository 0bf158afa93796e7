package io.svctoken.server.gateway;

import io.svctoken.core.event.SecurityEvents;
import io.svctoken.server.http.RestDispatcher;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpRequest;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authz.index.IndexCatalog;
import io.svctoken.server.http.Router;
import io.svctoken.server.http.UrlDecoding;
import io.svctoken.server.settings.GatewaySettings;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Gateway mode: svctoken answers what it serves and forwards everything else to the upstreams. A request
 * is served here when one of svctoken's routes matches its path (whatever the method, so that a wrong one
 * gets svctoken's 405), and always for {@code /_security/*}; {@code GET /} too, so that clients read
 * svctoken's Elasticsearch version and not the upstream's. Every other request is authenticated on its
 * headers, decided by the {@link TablePolicy} against the upstream's names ({@link UpstreamCatalog}), and streamed to an upstream ({@link Exchange}).
 */
public final class Gateway implements AutoCloseable {

    final Upstreams upstreams;
    final AuthenticationService authentication;
    final TablePolicy policy;
    final UpstreamCatalog catalog;
    final long responseTimeoutNanos;
    /** The largest body read whole to decide a request (_aliases, _reindex, _mget). */
    final int maxDecidedBody;
    /** Who hears the forwarded requests' access decisions (the audit trail), and whether requests are refused meanwhile. */
    SecurityEvents events = SecurityEvents.NONE;
    RestDispatcher.AuditGate audit = RestDispatcher.AuditGate.NONE;
    /** The caller's identity for the upstream, or null when {@code identity_header} is not set. */
    final IdentityHeader identity;
    private final HealthChecks healthChecks;
    private volatile Router router;
    /** The first path segments of svctoken's routes ({@link Router#firstSegments}), or null. */
    private volatile Set<String> firstSegments;
    /** The most bytes one forwarded request had written but not yet sent, on either side (for tests and metrics). */
    static final AtomicLong MAX_IN_FLIGHT_BYTES = new AtomicLong();

    /**
     * Starts the health checks (when on); {@link #routes} must be given before the first connection.
     *
     * @param policy the forward policy, given the upstream's index names (refreshed here)
     */
    public Gateway(GatewaySettings settings, AuthenticationService authentication, Function<Supplier<IndexCatalog>, TablePolicy> policy) {
        this.upstreams = new Upstreams(settings, Clock.systemUTC());
        this.authentication = authentication;
        this.responseTimeoutNanos = settings.responseTimeout().toNanos();
        this.maxDecidedBody = settings.maxDecidedBody();
        this.catalog = new UpstreamCatalog(upstreams, settings.catalogRefresh().toNanos(), responseTimeoutNanos);
        this.policy = policy.apply(catalog);
        this.identity = IdentityHeader.of(settings, Clock.systemUTC());
        this.healthChecks = settings.healthChecks()
                ? new HealthChecks(upstreams, settings.healthCheckInterval().toNanos(), settings.healthCheckTimeout().toNanos())
                : null;
    }

    /** svctoken's own routes: a request one of them matches is served here, not forwarded. */
    public Gateway routes(Router router) {
        this.router = router;
        this.firstSegments = router.firstSegments();
        return this;
    }

    /** Each upstream's address and state, for {@code GET /_svctoken/gateway/upstreams}. */
    public List<Upstreams.Status> upstreamStatuses() {
        return upstreams.statuses();
    }

    @Override
    public void close() {
        if (healthChecks != null) {
            healthChecks.close();
        }
    }

    /** Tells {@code events} the access decisions of forwarded requests; {@code gate} may refuse them (audit log unwritable). */
    public Gateway audited(SecurityEvents events, RestDispatcher.AuditGate gate) {
        this.events = events;
        this.audit = gate;
        return this;
    }

    /** The handler for one client connection, placed after the HTTP codec and before the request aggregator. */
    public ChannelHandler newConnectionHandler() {
        return new GatewayHandler(this);
    }

    boolean servesLocally(HttpRequest request) {
        String path = UrlDecoding.rawPath(request.uri());
        if (path.equals("/_security") || path.startsWith("/_security/")) {
            return true;
        }
        if (firstSegments != null && path.startsWith("/")) {
            // most forwarded paths (/logs/_search) start with a name no route of svctoken's starts with: not routed here
            int end = path.indexOf('/', 1);
            if (!firstSegments.contains(end < 0 ? path.substring(1) : path.substring(1, end))) {
                return false;
            }
        }
        try {
            return !router.route(null, path).allowed().isEmpty();
        } catch (IllegalArgumentException e) {
            return true; // a malformed escape in one of svctoken's paths: its 400
        }
    }

    /** The most bytes one forwarded request has had queued for writing at once, since the start. */
    public static long maxInFlightBytes() {
        return MAX_IN_FLIGHT_BYTES.get();
    }
}
