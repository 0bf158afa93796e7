package io.svctoken.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.AuthenticationTimer;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.store.TokenSource;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts every authentication by credential type, account, realm, token source and result, and times it (answered at
 * once from a cache, or cold). Label values come from fixed sets only: the built-in service accounts by name (a
 * bounded list), the configured realms' names, the enums; never a user name, an API key id, a token name or anything
 * else a client sends. Every counter is made in advance or once per realm, so a request's event allocates nothing.
 */
public final class AuthenticationMetrics implements SecurityEvents, AuthenticationTimer {

    static final String AUTHENTICATIONS = "svctoken.authentications";
    static final String DURATION = "svctoken.authentication.duration";
    static final String NONE = "none";
    static final String OTHER = "other";
    private static final CredentialAttempt.Reason[] REASONS = CredentialAttempt.Reason.values();
    private static final CredentialAttempt.Type[] TYPES = CredentialAttempt.Type.values();
    /** Bucket bounds: cached checks take microseconds to a millisecond, cold ones a hash (milliseconds) or a store call. */
    private static final Duration[] BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    /** Built-in account principal: successes by token source (FILE, INDEX order). */
    private final Map<String, Counter[]> serviceAccountSuccess = new HashMap<>();
    /** Built-in account principal: failures by reason. */
    private final Map<String, Counter[]> serviceAccountFailure = new HashMap<>();
    private final Counter[] otherServiceAccountFailure;
    /** Credential type × reason, for everything but service tokens. */
    private final Counter[][] failures = new Counter[TYPES.length][];
    private final Counter apiKeySuccess;
    /** Realm name: user successes (the configured realms: a bounded set). */
    private final ConcurrentHashMap<String, Counter> realmSuccess = new ConcurrentHashMap<>();
    /** OAuth2 access tokens, by their user's realm. */
    private final ConcurrentHashMap<String, Counter> tokenSuccess = new ConcurrentHashMap<>();
    private final Timer cachedSuccess;
    private final Timer cachedFailure;
    private final Timer coldSuccess;
    private final Timer coldFailure;

    public AuthenticationMetrics(MeterRegistry registry, Collection<String> builtInAccounts) {
        this.registry = registry;
        for (String account : builtInAccounts) {
            Counter[] bySource = new Counter[TokenSource.values().length];
            for (TokenSource s : TokenSource.values()) {
                bySource[s.ordinal()] = counter(CredentialAttempt.Type.SERVICE_TOKEN, account, ServiceAccountAuthn.REALM, s.esName(), "success");
            }
            serviceAccountSuccess.put(account, bySource);
            serviceAccountFailure.put(account, failureCounters(CredentialAttempt.Type.SERVICE_TOKEN, account));
        }
        otherServiceAccountFailure = failureCounters(CredentialAttempt.Type.SERVICE_TOKEN, OTHER);
        for (CredentialAttempt.Type t : TYPES) {
            if (t != CredentialAttempt.Type.SERVICE_TOKEN) {
                failures[t.ordinal()] = failureCounters(t, NONE);
            }
        }
        apiKeySuccess = counter(CredentialAttempt.Type.API_KEY, NONE, ApiKeyAuthn.REALM, NONE, "success");
        cachedSuccess = timer("cached", "success");
        cachedFailure = timer("cached", "failure");
        coldSuccess = timer("cold", "success");
        coldFailure = timer("cold", "failure");
    }

    private Counter[] failureCounters(CredentialAttempt.Type type, String account) {
        Counter[] byReason = new Counter[REASONS.length];
        for (CredentialAttempt.Reason r : REASONS) {
            byReason[r.ordinal()] = counter(type, account, NONE, NONE, r.name().toLowerCase(Locale.ROOT));
        }
        return byReason;
    }

    private Counter counter(CredentialAttempt.Type type, String account, String realm, String source, String result) {
        return Counter.builder(AUTHENTICATIONS)
                .description("Authentications by credential type, account (built-in service accounts only), realm, token source and result")
                .tag("credential", type.name().toLowerCase(Locale.ROOT))
                .tag("account", account)
                .tag("realm", realm)
                .tag("source", source)
                .tag("result", result)
                .register(registry);
    }

    private Timer timer(String cache, String result) {
        return Timer.builder(DURATION)
                .description("Time to authenticate a request: cached = answered at once, cold = waited for hashing or the store")
                .tag("cache", cache)
                .tag("result", result)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public void authenticationSuccess(RequestInfo request, Authentication authentication) {
        if (authentication instanceof ServiceAccountAuthn sa) {
            Counter[] bySource = serviceAccountSuccess.get(sa.principal());
            if (bySource != null) {
                bySource[sa.authentication().source().ordinal()].increment();
            }
        } else if (authentication instanceof ApiKeyAuthn) {
            apiKeySuccess.increment();
        } else {
            String realm = authentication.effectiveRealm().name();
            // an OAuth2 access token is a Bearer credential standing for a realm's user
            boolean token = authentication instanceof UserAuthentication u && u.token();
            Map<String, Counter> byRealm = token ? tokenSuccess : realmSuccess;
            Counter c = byRealm.get(realm);
            if (c == null) {
                c = byRealm.computeIfAbsent(realm, r -> counter(token ? CredentialAttempt.Type.BEARER : CredentialAttempt.Type.BASIC, NONE,
                        r, NONE, "success"));
            }
            c.increment();
        }
    }

    @Override
    public void authenticationFailed(RequestInfo request, AuthenticationException failure) {
        CredentialAttempt attempt = failure.attempt();
        CredentialAttempt.Reason reason = failure.kind() == AuthenticationException.Kind.THROTTLED
                ? CredentialAttempt.Reason.THROTTLED : attempt.reason();
        Counter[] byReason;
        if (attempt.type() == CredentialAttempt.Type.SERVICE_TOKEN) {
            byReason = attempt.principal() == null ? null : serviceAccountFailure.get(attempt.principal());
            if (byReason == null) {
                byReason = otherServiceAccountFailure;
            }
        } else {
            byReason = failures[attempt.type().ordinal()];
        }
        byReason[reason.ordinal()].increment();
    }

    @Override
    public void record(boolean cached, boolean success, long nanos) {
        (cached ? success ? cachedSuccess : cachedFailure : success ? coldSuccess : coldFailure).record(nanos, TimeUnit.NANOSECONDS);
    }
}
