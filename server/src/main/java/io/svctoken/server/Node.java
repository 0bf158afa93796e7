package io.svctoken.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandler;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.UserManagedServiceAccounts;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.oauth2.OAuth2TokenService;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.event.Handoffs;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.NativeRoles;
import io.svctoken.core.authz.RoleMappings;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.authz.privilege.ApplicationPrivileges;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.file.UsersFile;
import io.svctoken.core.file.UsersRolesFile;
import io.svctoken.core.realm.NativeRealm;
import io.svctoken.core.realm.Realm;
import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.core.realm.ReservedRealm;
import io.svctoken.core.realm.UserAdmin;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.ClusterRepository;
import io.svctoken.core.store.CompositeServiceAccountTokenStore;
import io.svctoken.core.store.FileServiceAccountTokenStore;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import io.svctoken.core.store.TokenUsage;
import io.svctoken.core.store.MetadataRepository;
import io.svctoken.core.store.RefreshingServiceAccountTokenStore;
import io.svctoken.core.store.Store;
import io.svctoken.core.token.TimeBasedIds;
import io.svctoken.server.audit.AuditTrail;
import io.svctoken.server.authc.FileRealmFiles;
import io.svctoken.server.authc.RealmCaches;
import io.svctoken.server.authz.FileRoles;
import io.svctoken.server.cluster.ClusterService;
import io.svctoken.server.cluster.Invalidations;
import io.svctoken.server.cluster.NodeDataDirectory;
import io.svctoken.server.console.ConsoleSessions;
import io.svctoken.server.file.DefaultConfigFiles;
import io.svctoken.server.file.PolledFile;
import io.svctoken.server.file.ServiceTokensFileWatcher;
import io.svctoken.server.gateway.Gateway;
import io.svctoken.server.gateway.TablePolicy;
import io.svctoken.server.health.NodeHealth;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.HttpServer;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestDispatcher;
import io.svctoken.server.http.Router;
import io.svctoken.server.http.SessionCookies;
import io.svctoken.server.metrics.AuthenticationMetrics;
import io.svctoken.server.metrics.NodeMetrics;
import io.svctoken.server.metrics.StoreMetrics;
import io.svctoken.server.rest.AccessTokenResolver;
import io.svctoken.server.rest.ClusterNodesEndpoints;
import io.svctoken.server.rest.ConsoleSessionEndpoints;
import io.svctoken.server.rest.ApiKeyEndpoints;
import io.svctoken.server.rest.ApplicationPrivilegeEndpoints;
import io.svctoken.server.rest.ConsoleAssetsEndpoints;
import io.svctoken.server.rest.EnrollmentEndpoints;
import io.svctoken.server.rest.ForwardAuthEndpoints;
import io.svctoken.server.rest.GatewayEndpoints;
import io.svctoken.server.rest.HealthEndpoints;
import io.svctoken.server.rest.InfoEndpoints;
import io.svctoken.server.rest.MetricsEndpoints;
import io.svctoken.server.rest.OAuth2TokenEndpoints;
import io.svctoken.server.rest.PrivilegeEndpoints;
import io.svctoken.server.rest.RoleEndpoints;
import io.svctoken.server.rest.RoleMappingEndpoints;
import io.svctoken.server.rest.ServiceAccountEndpoints;
import io.svctoken.server.rest.TokenLifecycleEndpoints;
import io.svctoken.server.rest.UserEndpoints;
import io.svctoken.server.settings.ConsoleSettings;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.RealmSettings;
import io.svctoken.server.tls.HttpTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** One svctoken node: store, token stores and caches, authentication, REST handlers, HTTP. */
public final class Node implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Noted last uses reach the store within this (or the last-used interval, when shorter). */
    private static final long LAST_USED_FLUSH_MAX_MILLIS = 10_000;
    /** Ended console sessions are deleted at least this often (each node sweeps; a second sweep finds nothing). */
    private static final long CONSOLE_SWEEP_MAX_MILLIS = 60_000;

    private final NodeSettings settings;
    private final Store store;
    private final ThreadPoolExecutor worker;
    private final HttpServer http;
    private final NodeIdentity identity;
    private final InetSocketAddress address;
    private final CachingServiceAccountTokenStore indexCache;
    private final CachingServiceAccountTokenStore fileCache;
    private final ScheduledExecutorService poller;
    private final NodeDataDirectory dataDirectory;
    private ClusterService cluster;
    /** The gateway's health checks stop with the node; null without gateway mode. */
    private Gateway gateway;
    private HttpTls tls = HttpTls.none();
    private AuditTrail audit;

    private Node(NodeSettings settings, Store store, ThreadPoolExecutor worker, HttpServer http, NodeIdentity identity,
                 InetSocketAddress address, CachingServiceAccountTokenStore indexCache, CachingServiceAccountTokenStore fileCache,
                 ScheduledExecutorService poller, NodeDataDirectory dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.settings = settings;
        this.store = store;
        this.worker = worker;
        this.http = http;
        this.identity = identity;
        this.address = address;
        this.indexCache = indexCache;
        this.fileCache = fileCache;
        this.poller = poller;
    }

    /**
     * Starts a node. {@code env} supplies {@code ELASTIC_PASSWORD}; a generated elastic password is
     * printed once to {@code console}.
     */
    public static Node start(NodeSettings settings, Map<String, String> env, PrintStream console) throws InterruptedException {
        long t0 = System.nanoTime();
        // Before the store: a first start is recognised by the empty data directory (HTTPS auto-configuration).
        HttpTls tls = HttpTls.configure(settings);
        NodeDataDirectory dataDirectory = NodeDataDirectory.lock(settings.dataPath());
        // The store opens on its own thread while this one builds what needs nothing from it (measured:
        // docs/benchmarks.md, start time round 5); nothing is bound before the store is there.
        boolean firstStart = StoreFactory.certainlyEmpty(settings); // before the open creates the store
        StoreOpening opening = StoreOpening.start(settings, env);
        NodeMetrics metrics;
        BuiltinServiceAccounts accounts;
        ReservedRoles reservedRoles;
        HttpServer http = null;
        ReservedRealm.FirstPassword firstPassword = null;
        Store store;
        try {
            metrics = new NodeMetrics();
            accounts = BuiltinServiceAccounts.forVersion(settings.compatibility());
            reservedRoles = ReservedRoles.forVersion(settings.compatibility());
            http = new HttpServer(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())), settings.httpTransport());
            if (firstStart) { // the elastic user's password hashed while the store creates its schema
                firstPassword = ReservedRealm.firstPassword(settings.passwordHasher(), env.get("ELASTIC_PASSWORD"));
            }
            store = StoreMetrics.wrap(opening.await(), metrics.registry());
        } catch (RuntimeException | Error | InterruptedException e) {
            if (http != null) {
                http.close();
            }
            opening.abandon();
            dataDirectory.close();
            throw e;
        }
        ThreadPoolExecutor worker = null;
        ClusterService cluster = null;
        AuditTrail audit = null;
        Gateway gw = null;
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "svctoken-file-watcher");
            t.setDaemon(true);
            return t;
        });
        try {
            tls.shareCa(store.metadata()); // a first start on a shared store: the cluster's one HTTP CA
            tls.await(); // the TLS material loaded while the store opened; bad material stops the start here
            NodeIdentity identity = identity(settings, store.metadata(), dataDirectory);
            worker = workerPool(settings, metrics.rejections());
            metrics.worker(worker);
            Optional<Secret> generated = firstPassword != null ? ReservedRealm.bootstrap(store.users(), firstPassword)
                    : ReservedRealm.bootstrap(store.users(), settings.passwordHasher(), env.get("ELASTIC_PASSWORD"));

            IndexServiceAccountTokenStore index = new IndexServiceAccountTokenStore(store.tokens(), settings.tokenHasher(), worker,
                    Clock.systemUTC(), settings.compatibility().versionId());
            // Cache maintenance must not queue behind PBKDF2 jobs in the worker pool (measured: P4 in docs/benchmarks.md).
            Executor cacheMaintenance = ForkJoinPool.commonPool();
            Invalidations invalidations = new Invalidations();
            CachingServiceAccountTokenStore indexCache = new CachingServiceAccountTokenStore(index, settings.cacheTtl(),
                    settings.cacheMaxTokens(), settings.cacheHasher(), cacheMaintenance, invalidations::cachesUsable);
            FileServiceAccountTokenStore file = new FileServiceAccountTokenStore(worker);
            CachingServiceAccountTokenStore fileCache = new CachingServiceAccountTokenStore(file, settings.cacheTtl(),
                    settings.cacheMaxTokens(), settings.cacheHasher(), cacheMaintenance);
            PolledFile tokensFile = ServiceTokensFileWatcher.start(settings.configDir(), poller, file, fileCache);
            // File tokens first, then the store's; a token that fails both is tried again if the
            // file's content changed since the attempt began (read by that check or by the poller), so a token
            // the CLI just wrote works on first use, not after the next poll.
            // The stamp check is a stat: it runs beside the hashing pool, not queued behind PBKDF2 jobs.
            // Last uses are noted on the request path (cheaply) and written in batches by the poller thread; not at all
            // when last_used.enabled is false.
            TokenUsage usage = settings.tokenLifecycle().lastUsedEnabled()
                    ? new TokenUsage(settings.tokenLifecycle().lastUsedInterval(), Clock.systemUTC()) : null;
            ServiceAccountAuthenticator serviceAccounts = new ServiceAccountAuthenticator(accounts,
                    new RefreshingServiceAccountTokenStore(
                            new CompositeServiceAccountTokenStore(List.of(fileCache, indexCache)), tokensFile::generation,
                            // On the file watcher's thread: it polls the same file, and it runs at the node's
                            // priority. Not the common pool: with one or two cores CompletableFuture runs each task
                            // given to it on a new thread, which inherits the hashing thread's nice value and then
                            // writes the 401 to the event loop (waking its selector) at that low priority.
                            () -> tokensFile.refreshSoon(poller)), usage);
            long flushMillis = Math.min(settings.tokenLifecycle().lastUsedInterval().toMillis(), LAST_USED_FLUSH_MAX_MILLIS);
            Store usageStore = store;
            if (usage != null) {
                poller.scheduleWithFixedDelay(() -> usage.flush(usageStore.tokens(), identity.nodeName()), flushMillis, flushMillis,
                        TimeUnit.MILLISECONDS);
            }
            InvalidationBus bus = new InvalidationBus();
            ServiceTokens tokens = new ServiceTokens(accounts, index, indexCache, List.of(fileCache, indexCache),
                    account -> nodesCredentials(invalidations, file, identity, account), invalidations);
            bus.subscribe(InvalidationBus.SERVICE_TOKENS, tokens::applyInvalidation);
            UserManagedServiceAccounts userManaged = new UserManagedServiceAccounts(store.serviceAccounts(), worker,
                    settings.accountCacheTtl(), settings.accountCacheMaxAccounts()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.SERVICE_ACCOUNTS, userManaged::invalidate);
            serviceAccounts.withUserManaged(userManaged, indexCache); // their tokens: the index store only
            ReservedRealm reserved = new ReservedRealm(store.users(), worker, RealmCacheConfig.DEFAULT,
                    invalidations::cachesUsable);
            if (firstPassword != null) {
                // the first request as elastic is answered from the login cache, not by a second bcrypt of the
                // password hashed moments ago (a first start's wait for its first answer, docs/benchmarks.md round 6)
                reserved.rememberFirstLogin(firstPassword);
            }
            ensureFileRealmFiles(settings.configDir());
            // The reserved realm first, then the chain of xpack.security.authc.realms.* (by default: file, then native).
            List<Realm> realms = new ArrayList<>(List.of(reserved));
            for (RealmSettings.Realm r : settings.realms()) {
                RealmRef ref = new RealmRef(r.name(), r.type());
                RealmCacheConfig cache = RealmCaches.config(r.cache());
                realms.add(r.type().equals(RealmSettings.FILE)
                        ? FileRealmFiles.start(settings.configDir(), poller, worker, ref, cache)
                        : new NativeRealm(store.users(), worker, ref, cache, invalidations::cachesUsable));
            }
            ApiKeyService apiKeys = new ApiKeyService(store.apiKeys(), settings.apiKeyHasher(),
                    settings.apiKeyCacheHasher(), settings.apiKeyCacheTtl(), settings.apiKeyCacheMaxKeys(), worker, Clock.systemUTC(),
                    settings.compatibility().versionId()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.API_KEYS, apiKeys::invalidateCached);
            for (Realm realm : realms) {
                // a stored user's change: every realm forgets the name, as UserAdmin does on the writing node
                bus.subscribe(InvalidationBus.realm(realm.ref().name()), names -> {
                    if (names == null) {
                        realm.invalidateAll();
                    } else {
                        names.forEach(realm::invalidate);
                    }
                });
            }
            AuthenticationService authentication = new AuthenticationService(serviceAccounts, apiKeys, realms, settings.failureThrottle());
            OAuth2TokenService oauth2Tokens = new OAuth2TokenService(store.oauth2Tokens(), settings.oauth2Tokens().timeout(), worker,
                    Clock.systemUTC(), settings.compatibility().versionId()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.OAUTH2_TOKENS, oauth2Tokens::invalidateCached);
            boolean oauth2Enabled = settings.oauth2Tokens().enabled(tls.enabled());
            if (oauth2Enabled) {
                authentication.oauth2(oauth2Tokens);
            }
            // An API key's access_token grant: the token's user (then its run_as), when the token service is on
            AccessTokenResolver accessTokens = !oauth2Enabled ? AccessTokenResolver.NONE : (token, runAs) -> oauth2Tokens.subjectOf(token)
                    .thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture(Optional.<Authentication>empty())
                            : authentication.runAsFrom(runAs, found.get()).thenApply(Optional::of));
            long tokenDeleteMillis = settings.oauth2Tokens().deleteInterval().toMillis();
            poller.scheduleWithFixedDelay(() -> removeOldOAuth2Tokens(oauth2Tokens), tokenDeleteMillis, tokenDeleteMillis, TimeUnit.MILLISECONDS);
            // Who hears each request's security outcome (the audit trail, metrics): each feature adds its listener here.
            List<SecurityEvents> securityListeners = new ArrayList<>();
            audit = AuditTrail.open(settings, identity);
            if (audit != null) {
                securityListeners.add(audit);
            }
            AuthenticationMetrics authenticationMetrics = new AuthenticationMetrics(metrics.registry(), accounts.principals());
            securityListeners.add(authenticationMetrics);
            authentication.timer(authenticationMetrics);
            metrics.cache("service_tokens_file", fileCache.cache());
            metrics.cache("service_tokens_index", indexCache.cache());
            metrics.cache("api_keys", apiKeys.cache());
            metrics.cache("service_accounts", userManaged.cache());
            metrics.cache("oauth2_tokens", oauth2Tokens.cache());
            realms.forEach(r -> metrics.cache("realm_" + r.ref().name(), r.loginCache()));
            authentication.events(SecurityEvents.of(securityListeners));
            // The management console's sessions (null: svctoken.console.enabled is false, no cookie is read)
            ConsoleSessions consoleSessions = ConsoleSettings.enabled(settings) ? new ConsoleSessions(store.consoleSessions(), authentication, apiKeys,
                    worker, Clock.systemUTC(), settings.console(), tls.enabled(), SecurityEvents.of(securityListeners)) : null;
            if (consoleSessions != null) {
                long sweepMillis = Math.min(CONSOLE_SWEEP_MAX_MILLIS, settings.console().idleTimeout().toMillis());
                poller.scheduleWithFixedDelay(consoleSessions::removeExpired, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
            }
            NativeRoles nativeRoles = new NativeRoles(store.roles()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.ROLES, nativeRoles::reload);
            ApplicationPrivileges applicationPrivileges = new ApplicationPrivileges(store.applicationPrivileges()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.APPLICATION_PRIVILEGES, applicationPrivileges::reload);
            RoleMappings roleMappings = new RoleMappings(store.roleMappings()).withCluster(invalidations);
            bus.subscribe(InvalidationBus.ROLE_MAPPINGS, roleMappings::reload);
            FileRoles fileRoles = FileRoles.start(settings.configDir(), poller, reservedRoles);
            RoleResolver roles = new RoleResolver(List.of(reservedRoles::find, fileRoles, nativeRoles));

            UserAdmin userAdmin = new UserAdmin(store.users(), reserved, authentication.realms(), settings.passwordHasher(), worker, invalidations);
            Authorizer authorizer = new Authorizer(roles);
            NodeHealth health = new NodeHealth(invalidations::service, store.metadata(), ForkJoinPool.commonPool(), System::nanoTime,
                    TimeUnit.SECONDS.toNanos(1));
            HealthEndpoints healthEndpoints = new HealthEndpoints(health, identity.clusterName());
            // Gateway mode: what svctoken does not serve is decided as Elasticsearch would and goes to the upstream
            gw = settings.gateway().enabled()
                    ? new Gateway(settings.gateway(), authentication, names -> new TablePolicy(authorizer, roles, names, null)) : null;
            Gateway gateway0 = gw;
            Router router = routes(
                    new InfoEndpoints(identity, settings.compatibility()).endpoints(),
                    healthEndpoints.probes(),
                    new ForwardAuthEndpoints().endpoints(),
                    new MetricsEndpoints(metrics, invalidations::service, ForkJoinPool.commonPool()).endpoints(),
                    // in gateway mode _cluster/health is the upstream cluster's, forwarded
                    settings.gateway().enabled() ? List.of() : healthEndpoints.clusterHealth(),
                    new ServiceAccountEndpoints(accounts, userManaged, tokens, identity, settings.cluster().ackTimeout().toMillis(),
                            Clock.systemUTC()).endpoints(),
                    new TokenLifecycleEndpoints(tokens, identity, Clock.systemUTC(), settings.tokenLifecycle().maxLifetime()).endpoints(),
                    new UserEndpoints(userAdmin).endpoints(),
                    new RoleEndpoints(nativeRoles, reservedRoles, worker).endpoints(),
                    new RoleMappingEndpoints(roleMappings, worker).endpoints(),
                    new ApiKeyEndpoints(apiKeys, authorizer, reservedRoles, invalidations, identity,
                            settings.cluster().ackTimeout().toMillis()).grants(authentication, accessTokens)
                            .userManagedGrant(settings.compatibility() == CompatibilityVersion.V9).endpoints(),
                    new PrivilegeEndpoints(authorizer, applicationPrivileges::all, worker).endpoints(),
                    new OAuth2TokenEndpoints(oauth2Tokens, oauth2Enabled, authentication, settings.compatibility()).endpoints(),
                    new ApplicationPrivilegeEndpoints(applicationPrivileges, invalidations, identity,
                            settings.cluster().ackTimeout().toMillis(), worker).endpoints(),
                    new EnrollmentEndpoints(tokens, () -> tls.httpCa().map(Node::der), Clock.systemUTC(), settings.dataPath().toString(),
                            settings.enrollmentEnabled()).endpoints(),
                    new GatewayEndpoints(() -> gateway0 == null ? List.of() : gateway0.upstreamStatuses()).endpoints(),
                    new ClusterNodesEndpoints(invalidations::service, identity.clusterName(), worker, Clock.systemUTC()).endpoints(),
                    consoleSessions != null ? new ConsoleSessionEndpoints(consoleSessions, Clock.systemUTC()).endpoints() : List.of(),
                    ConsoleSettings.enabled(settings) ? new ConsoleAssetsEndpoints().endpoints() : List.of());
            Supplier<ChannelHandler> gateway = gw != null ? gw.routes(router)
                    .audited(SecurityEvents.of(securityListeners), audit != null ? audit : RestDispatcher.AuditGate.NONE)::newConnectionHandler
                    : null;
            InetSocketAddress address = http.start(settings.httpHost(), settings.httpPorts(), new RestDispatcher(router, authentication, authorizer,
                            SecurityEvents.of(securityListeners), audit != null ? audit : RestDispatcher.AuditGate.NONE,
                            consoleSessions != null ? consoleSessions : SessionCookies.NONE),
                    tls.sslContext(), settings.httpCompression(tls.enabled()), settings.httpLimits(), gateway);
            // After the bind: the registry row carries the address. Before the first request could publish.
            String httpAddress = (address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress())
                    + ":" + address.getPort();
            cluster = ClusterService.start(store.cluster(), bus, settings.cluster(),
                    new ClusterService.Self(identity.nodeId(), identity.nodeName(), httpAddress, identity.esVersion()),
                    () -> fileTokensJson(file, accounts), Clock.systemUTC());
            invalidations.attach(cluster);
            if (!settings.inapplicableSettings().isEmpty()) {
                LOG.info("ignoring Elasticsearch settings that have no effect on svctoken (one node, HTTP only): {}",
                        settings.inapplicableSettings());
            }
            Optional<String> consoleUrl = consoleSessions == null ? Optional.empty() : Optional.of(consoleUrl(tls.scheme(), address));
            LOG.info("node [{}] of cluster [{}] emulating Elasticsearch {} listening on {}://{}:{} (started in {} ms){}",
                    identity.nodeName(), identity.clusterName(), identity.esVersion(), tls.scheme(), address.getHostString(), address.getPort(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), consoleUrl.map(u -> "; Console: " + u).orElse(""));
            // After the start: the workers lower their priority (a native call) before the first hashing needs them.
            worker.prestartAllCoreThreads();
            if (tls.source() == HttpTls.Source.GENERATED) {
                LOG.info("HTTPS has been configured with automatically generated certificates, and the CA's hex-encoded SHA-256"
                        + " fingerprint is [{}]", tls.httpCaFingerprint().orElseThrow());
            }
            InetSocketAddress bound = address;
            Supplier<Optional<String>> kibanaEnrollmentToken =
                    () -> kibanaEnrollmentToken(apiKeys, reservedRoles, tls, identity, bound);
            if (FirstStartBanner.applies(generated, tls)) {
                FirstStartBanner.print(console, FirstStartBanner.Glyphs.forConsole(), FirstStartBanner.width(), generated, tls,
                        settings.enrollmentEnabled(),
                        kibanaEnrollmentToken, consoleUrl);
            }
            return new Node(settings, store, worker, http, identity, address, indexCache, fileCache, poller, dataDirectory).withTls(tls)
                    .withCluster(cluster).withAudit(audit).withGateway(gw);
        } catch (IOException e) {
            if (gw != null) {
                gw.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            poller.shutdownNow();
            if (http != null) {
                http.close();
            }
            if (worker != null) {
                worker.shutdownNow();
            }
            if (audit != null) {
                audit.close();
            }
            store.close();
            dataDirectory.close();
            throw new IllegalStateException("cannot start: " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            if (gw != null) {
                gw.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (http != null) {
                http.close();
            }
            poller.shutdownNow();
            if (worker != null) {
                worker.shutdownNow();
            }
            if (audit != null) {
                audit.close();
            }
            store.close();
            dataDirectory.close();
            throw e;
        }
    }

    /** The management console's address: the bound host (a wildcard bind as {@code 127.0.0.1}), IPv6 in brackets. */
    static String consoleUrl(String scheme, InetSocketAddress bound) {
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/_svctoken/console/";
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the HTTP CA certificate cannot be encoded", e);
        }
    }

    /**
     * The first-start Kibana enrollment token: a 30-minute API key of the
     * internal {@code _xpack_security} user holding only the Kibana enrollment action, this node's address
     * and the CA fingerprint. Empty (the banner then prints Elasticsearch's fallback line) without a CA.
     */
    /** Elasticsearch's expired-token removal, on the poller thread: a failure is logged and the next run tries again. */
    private static void removeOldOAuth2Tokens(OAuth2TokenService tokens) {
        try {
            int deleted = tokens.removeExpired();
            if (deleted > 0) {
                LOG.debug("deleted [{}] OAuth2 tokens made more than 24 hours ago", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete old OAuth2 tokens: {}", e.toString());
        }
    }

    private static Optional<String> kibanaEnrollmentToken(ApiKeyService apiKeys, ReservedRoles reservedRoles,
                                                          HttpTls tls, NodeIdentity identity, InetSocketAddress bound) {
        Optional<String> fingerprint = tls.httpCaFingerprint();
        if (fingerprint.isEmpty()) {
            return Optional.empty();
        }
        try {
            UserAuthentication as = UserAuthentication.internalSecurityUser();
            ObjectNode enroll = Json.object();
            enroll.putArray("cluster").add(ServerEsMessages.ENROLL_KIBANA_ACTION);
            RoleDescriptor only = new RoleDescriptor("create_enrollment_token", enroll);
            ApiKeyService.Created key = apiKeys.create(as,
                    ServerEsMessages.ENROLLMENT_API_KEY_NAME_PREFIX + TimeBasedIds.newId(),
                    Duration.ofMinutes(30), List.of(only), null, List.of(reservedRoles.find("superuser").orElseThrow()))
                    .get(10, TimeUnit.SECONDS);
            String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
            String adr = host.contains(":") ? "[" + host + "]:" + bound.getPort() : host + ":" + bound.getPort();
            Secret apiKey = Secret.of(key.id() + ":" + key.secret().revealAsString(SecretAccess.plaintext()));
            key.secret().wipe();
            return Optional.of(new EnrollmentToken(identity.esVersion(), List.of(adr), fingerprint.get(), apiKey)
                    .encode().revealAsString(SecretAccess.plaintext()));
        } catch (Exception e) {
            LOG.warn("could not create a Kibana enrollment token at first start: {}", e.toString());
            return Optional.empty();
        }
    }

    /** The router of every feature's endpoints (an endpoint's one declaration is in its feature's {@code *Endpoints} class). */
    @SafeVarargs
    static Router routes(List<Endpoint<?>>... features) {
        Router router = new Router();
        for (List<Endpoint<?>> feature : features) {
            router.add(feature);
        }
        return router;
    }

    /**
     * Elasticsearch's distribution ships empty {@code users} and {@code users_roles} files, and its tools
     * refuse to work without them; a fresh svctoken install gets them on first start ({@link
     * io.svctoken.server.file.DefaultConfigFiles}, as the tools' first use does).
     */
    static void ensureFileRealmFiles(Path configDir) {
        try {
            DefaultConfigFiles.createDirectory(configDir);
        } catch (IOException e) {
            LOG.warn("cannot create the config directory [{}]: {}", configDir, e.toString());
            return;
        }
        try {
            DefaultConfigFiles.createMissingFiles(configDir);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: a read-only config directory is the operator's choice
            LOG.warn("could not create an empty [{}] or [{}] in [{}] (the users tools need them): {}",
                    UsersFile.FILE_NAME, UsersRolesFile.FILE_NAME, configDir, e.toString());
        }
    }

    private static NodeIdentity identity(NodeSettings settings, MetadataRepository metadata,
                                         NodeDataDirectory dataDirectory) {
        // the node's own (path.data); the rest is the cluster's (the store)
        String nodeId = dataDirectory.nodeId(metadata);
        String clusterUuid = metadata.putMetadataIfAbsent("cluster.uuid", randomId());
        String indexUuid = metadata.putMetadataIfAbsent("security_index.uuid", randomId());
        return new NodeIdentity(settings.nodeName(), nodeId, settings.clusterName(), clusterUuid, indexUuid,
                settings.compatibility().esVersionNumber());
    }

    private static String randomId() {
        return NodeDataDirectory.randomId();
    }

    private static ThreadPoolExecutor workerPool(NodeSettings settings, RejectedExecutionHandler rejections) {
        AtomicInteger n = new AtomicInteger();
        int threads = settings.workerThreads();
        // Bounded: when hashing falls behind, requests are rejected (429) rather than queued without end.
        int nice = settings.workerNice();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.workerQueueSize()), r -> {
            Thread t = new Thread(() -> {
                WorkerPriority.applyToCurrentThread(nice);
                r.run();
            }, "svctoken-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, rejections) {
            @Override
            public void execute(Runnable task) {
                Handoffs.noteHandoff(); // an authentication that hands work here is a cold one (its timing's label)
                super.execute(task);
            }
        };
    }

    private Node withCluster(ClusterService c) {
        this.cluster = c;
        return this;
    }

    private Node withGateway(Gateway g) {
        this.gateway = g;
        return this;
    }

    /** This node among the nodes sharing the store. */
    public ClusterService cluster() {
        return cluster;
    }

    /** Every registered node's file tokens of {@code account}; failed nodes are counted, without their tokens. */
    private static ServiceTokens.NodesCredentials nodesCredentials(Invalidations invalidations,
                                                                   FileServiceAccountTokenStore file, NodeIdentity identity,
                                                                   ServiceAccountId account) {
        ClusterService c = invalidations.service();
        Map<String, List<String>> byName = new TreeMap<>();
        if (c == null) {
            file.tokenNames(account).forEach(n -> byName.put(n, List.of(identity.nodeName())));
            return new ServiceTokens.NodesCredentials(1, List.of(), new LinkedHashMap<>(byName));
        }
        ClusterService.View view = c.view();
        Map<String, TreeSet<String>> names = new TreeMap<>();
        for (ClusterRepository.NodeRecord n : view.live()) {
            // this node's own names are read from its file now, the others' from their last heartbeat
            List<String> tokens = n.nodeId().equals(identity.nodeId()) ? file.tokenNames(account)
                    : FileTokensJson.names(n.fileTokensJson(), account.asPrincipal());
            tokens.forEach(t -> names.computeIfAbsent(t, k -> new TreeSet<>()).add(n.nodeName()));
        }
        names.forEach((t, nodes) -> byName.put(t, List.copyOf(nodes)));
        List<ClusterService.Failure> failures = view.failed().stream()
                .map(n -> new ClusterService.Failure(n.nodeId(), n.nodeName(), n.httpAddress(), true)).toList();
        return new ServiceTokens.NodesCredentials(view.live().size() + failures.size(), failures, byName);
    }

    private static String fileTokensJson(FileServiceAccountTokenStore file, BuiltinServiceAccounts accounts) {
        return FileTokensJson.of(file, accounts);
    }

    private Node withAudit(AuditTrail a) {
        this.audit = a;
        return this;
    }

    private Node withTls(HttpTls httpTls) {
        this.tls = httpTls;
        return this;
    }

    /** How HTTP is secured: the scheme, the presented chain, the HTTP CA (for enrollment). */
    public HttpTls httpTls() {
        return tls;
    }

    /** {@code https} or {@code http}: the scheme of {@link #address()}. */
    public String scheme() {
        return tls.scheme();
    }

    /** The HTTP CA certificate (auto-configured, or the CA key entry of the operator's keystore); its SHA-256 is {@link HttpTls#httpCaFingerprint()}. */
    public Optional<X509Certificate> httpCa() {
        return tls.httpCa();
    }

    public InetSocketAddress address() {
        return address;
    }

    public NodeIdentity identity() {
        return identity;
    }

    public NodeSettings settings() {
        return settings;
    }

    public CachingServiceAccountTokenStore indexCache() {
        return indexCache;
    }

    public CachingServiceAccountTokenStore fileCache() {
        return fileCache;
    }

    @Override
    public void close() {
        LOG.info("stopping node [{}]", identity.nodeName());
        // The hashing work already taken (a token being created, a cold authentication) finishes and is answered
        // while the event loops still run: closed first, they would drop those answers (a created token the client
        // never hears of) and Netty would log each refused write as an error.
        http.stopAccepting();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        http.close();
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (audit != null) {
            audit.close(); // after the HTTP server: the last requests' events are written
        }
        poller.shutdownNow();
        store.close();
        dataDirectory.close();
        LOG.info("stopped");
    }
}
