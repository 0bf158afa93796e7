package io.svctoken.server.audit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestDispatcher;
import io.svctoken.server.settings.AuditSettings;
import io.svctoken.server.settings.AuditSettings.Event;

import io.svctoken.server.NodeIdentity;
import io.svctoken.server.settings.NodeSettings;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Elasticsearch's logfile audit trail: each security event as one JSON line with Elasticsearch's field names, in the
 * order of its layout pattern, empty fields left out, {@code ", "} between fields. The line is made on the thread that
 * decided (string work only) and handed to {@link AuditFile}, which writes on its own thread.
 */
public final class AuditTrail implements SecurityEvents, RestDispatcher.AuditGate, AutoCloseable {

    /** The fields in the order Elasticsearch's audit layout prints them. */
    static final List<String> ORDER = List.of("type", "timestamp", "cluster.name", "cluster.uuid", "node.name", "node.id", "host.name",
            "host.ip", "event.type", "event.action", "authentication.type", "user.name", "user.run_by.name", "user.run_as.name",
            "user.realm", "user.realm_domain", "user.run_by.realm", "user.run_by.realm_domain", "user.run_as.realm",
            "user.run_as.realm_domain", "user.roles", "apikey.id", "apikey.name", "authentication.token.name",
            "authentication.token.type", "cross_cluster_access", "origin.type", "origin.address", "realm", "realm_domain", "url.path",
            "url.query", "request.method", "request.body", "request.id", "action", "request.name", "indices", "opaque_id", "trace.id",
            "x_forwarded_for", "transport.profile", "rule", "put", "delete", "change", "create", "invalidate");
    /** Fields whose value is JSON as it is; every other value is a JSON string. */
    private static final Set<String> RAW = Set.of("user.roles", "indices", "put", "delete", "change", "create", "invalidate");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSSZ", Locale.ROOT);
    /**
     * Request body fields that hold credentials: the union of those Elasticsearch's security handlers filter (put user and
     * change password, grant API key, get and invalidate token), removed here from every body and at any depth.
     */
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("password", "password_hash", "passwordHash", "access_token",
            "refresh_token", "kerberos_ticket", "token", "service_account_token");
    /** A credential when its value is a string. */
    private static final String API_KEY_FIELD = "api_key";

    /** The node's identity as the common fields show it. */
    public record Origin(String clusterName, String clusterUuid, String nodeName, String nodeId, String hostName, String hostIp) {
    }

    private final AuditSettings settings;
    private final Origin origin;
    private final AuditFile file;
    private final Clock clock;
    private final List<Policy> policies;
    /** Bodies of REST requests waiting for their authentication outcome (only with {@code emit_request_body}). */
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

    AuditTrail(AuditSettings settings, Origin origin, AuditFile file, Clock clock) {
        this.settings = settings;
        this.origin = origin;
        this.file = file;
        this.clock = clock;
        this.policies = settings.policies().values().stream().map(Policy::new).toList();
    }

    /**
     * Opens {@code <logs>/<cluster.name>_audit.json} when {@code xpack.security.audit.enabled} is true, else null.
     *
     * @throws IOException when the file cannot be opened: the node does not start without the audit log it was asked for
     */
    public static AuditTrail open(NodeSettings settings, NodeIdentity identity) throws IOException {
        AuditSettings audit = settings.audit();
        if (!audit.enabled()) {
            return null;
        }
        String hostName;
        String hostIp;
        try {
            InetAddress host = InetAddress.getByName(settings.httpHost());
            hostIp = host.getHostAddress();
            hostName = host.isAnyLocalAddress() ? InetAddress.getLocalHost().getHostName() : host.getHostName();
        } catch (IOException e) {
            hostIp = null;
            hostName = settings.httpHost();
        }
        Origin origin = new Origin(identity.clusterName(), identity.clusterUuid(), identity.nodeName(), identity.nodeId(), hostName, hostIp);
        Clock clock = Clock.systemDefaultZone();
        AuditFile file = new AuditFile(settings.auditLogsPath(), identity.clusterName(), AuditFile.ONE_GB, clock, QUEUE);
        return new AuditTrail(audit, origin, file, clock);
    }

    /** Lines waiting for the disk at most (a few MB): beyond, events are dropped (or requests refused), never waited for. */
    static final int QUEUE = 10_000;

    /** False while the audit file cannot be written (or its queue is full). */
    public boolean healthy() {
        return file.healthy();
    }

    /** With {@code svctoken.audit.on_write_failure: refuse}, the 503 every request gets while the file cannot be written. */
    @Override
    public EsException refusal() {
        if (settings.onWriteFailure() == AuditSettings.OnWriteFailure.REFUSE && !file.healthy()) {
            return new EsException("security_exception", 503, ServerEsMessages.AUDIT_LOG_UNAVAILABLE);
        }
        return null;
    }

    /** Whether REST request bodies should be {@link #body handed over} before authentication. */
    @Override
    public boolean wantsBodies() {
        return settings.emitRequestBody() && settings.events().contains(Event.AUTHENTICATION_SUCCESS);
    }

    /** The body of the REST request {@code requestId}, kept until its authentication's outcome. */
    @Override
    public void body(String requestId, byte[] body) {
        if (body != null && body.length > 0) {
            bodies.put(requestId, body);
        }
    }

    @Override
    public void authenticationSuccess(RequestInfo request, Authentication authn) {
        byte[] body = bodies.remove(request.id());
        if (!settings.events().contains(Event.AUTHENTICATION_SUCCESS)
                || ignored(authn.principal(), filterRealm(authn), null, List.of(), null)) {
            return;
        }
        Entry e = entry("rest", "authentication_success");
        e.put("realm", authenticatingRealm(authn).name());
        rest(e, request);
        authentication(e, authn);
        if (settings.emitRequestBody() && body != null && !request.forwarded()) {
            e.put("request.body", filteredBody(body));
        }
        context(e, request);
        write(e);
    }

    @Override
    public void authenticationFailed(RequestInfo request, AuthenticationException failure) {
        bodies.remove(request.id());
        CredentialAttempt attempt = failure.attempt();
        if (attempt != null && attempt.type() == CredentialAttempt.Type.NONE && attempt.reason() == CredentialAttempt.Reason.MISSING) {
            if (settings.events().contains(Event.ANONYMOUS_ACCESS_DENIED) && !ignored(null, null, null, List.of(), null)) {
                Entry e = entry("rest", "anonymous_access_denied");
                rest(e, request);
                context(e, request);
                write(e);
            }
            return;
        }
        // every other reason (invalid, expired, disabled, throttled, malformed, the store failing) is a failed authentication
        String principal = attempt == null ? null : principal(attempt);
        if (!settings.events().contains(Event.AUTHENTICATION_FAILED) || ignored(principal, null, null, List.of(), null)) {
            return;
        }
        Entry e = entry("rest", "authentication_failed");
        e.put("user.name", principal);
        if (attempt != null && attempt.type() == CredentialAttempt.Type.SERVICE_TOKEN) {
            e.put("authentication.token.name", attempt.tokenName());
        }
        rest(e, request);
        context(e, request);
        write(e);
    }

    @Override
    public void accessGranted(RequestInfo request, Authentication authn, Access access) {
        access(Event.ACCESS_GRANTED, "access_granted", request, authn, access);
    }

    @Override
    public void accessDenied(RequestInfo request, Authentication authn, Access access) {
        access(Event.ACCESS_DENIED, "access_denied", request, authn, access);
    }

    private void access(Event event, String name, RequestInfo request, Authentication authn, Access access) {
        List<String> roles = roles(authn);
        if (!settings.events().contains(event) || ignored(authn.principal(), filterRealm(authn), roles, access.indices(), access.action())) {
            return;
        }
        Entry e = entry("transport", name);
        authentication(e, authn);
        e.raw("user.roles", array(roles));
        transport(e, request, access);
        write(e);
    }

    @Override
    public void runAsGranted(RequestInfo request, Authentication authn, Access access) {
        runAs(Event.RUN_AS_GRANTED, "run_as_granted", request, authn, access);
    }

    @Override
    public void runAsDenied(RequestInfo request, Authentication authn, Access access) {
        runAs(Event.RUN_AS_DENIED, "run_as_denied", request, authn, access);
    }

    private void runAs(Event event, String name, RequestInfo request, Authentication authn, Access access) {
        if (!(authn instanceof UserAuthentication u) || !u.isRunAs()) {
            return;
        }
        List<String> roles = u.authenticatingUser().roles();
        if (!settings.events().contains(event)
                || ignored(u.authenticatingUser().username(), u.authenticationRealm().name(), roles, access.indices(), access.action())) {
            return;
        }
        // the subject is the authenticating user; the run-as user is named beside it
        Entry e = entry("transport", name);
        e.put("authentication.type", u.token() ? "TOKEN" : "REALM");
        e.put("user.name", u.authenticatingUser().username());
        e.put("user.run_as.name", u.user().username());
        e.put("user.realm", u.authenticationRealm().name());
        if (u.lookupRealm() != null) {
            e.put("user.run_as.realm", u.lookupRealm().name());
        }
        e.raw("user.roles", array(roles));
        transport(e, request, access);
        write(e);
    }

    @Override
    public void securityConfigChange(RequestInfo request, ConfigChange change) {
        // never left out by an ignore policy: a security change must always be seen (as Elasticsearch)
        if (!settings.events().contains(Event.SECURITY_CONFIG_CHANGE)) {
            return;
        }
        Entry e = entry("security_config_change", change.action());
        e.put("request.id", request.id());
        e.raw(change.kind(), Json.MAPPER.valueToTree(change.object()).toString());
        write(e);
    }

    @Override
    public void close() {
        file.close();
    }

    // --- fields

    private Entry entry(String type, String action) {
        Entry e = new Entry();
        e.put("type", "audit");
        e.put("timestamp", TIMESTAMP.format(ZonedDateTime.now(clock)));
        if (settings.emitClusterName()) {
            e.put("cluster.name", origin.clusterName());
        }
        if (settings.emitClusterUuid()) {
            e.put("cluster.uuid", origin.clusterUuid());
        }
        if (settings.emitNodeName()) {
            e.put("node.name", origin.nodeName());
        }
        if (settings.emitNodeId()) {
            e.put("node.id", origin.nodeId());
        }
        if (settings.emitHostName()) {
            e.put("host.name", origin.hostName());
        }
        if (settings.emitHostAddress()) {
            e.put("host.ip", origin.hostIp());
        }
        e.put("event.type", type);
        e.put("event.action", action);
        return e;
    }

    /** The REST request's URL, method, id and client. */
    private static void rest(Entry e, RequestInfo r) {
        e.put("url.path", r.path());
        e.put("url.query", r.query());
        e.put("request.method", r.method());
        e.put("request.id", r.id());
        restOrigin(e, r);
    }

    private static void restOrigin(Entry e, RequestInfo r) {
        e.put("origin.type", "rest");
        e.put("origin.address", address(r.origin()));
    }

    /** An action's fields, as Elasticsearch's transport events of a REST request. */
    private static void transport(Entry e, RequestInfo r, Access access) {
        restOrigin(e, r);
        e.put("request.id", r.id());
        e.put("action", access.action());
        e.put("request.name", access.requestName());
        if (!access.indices().isEmpty()) {
            e.raw("indices", array(access.indices()));
        }
        context(e, r);
    }

    private static void context(Entry e, RequestInfo r) {
        e.put("opaque_id", r.opaqueId());
        e.put("trace.id", traceId(r.traceParent()));
        e.put("x_forwarded_for", r.forwardedFor());
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), as Elasticsearch keeps it. */
    private static String traceId(String traceParent) {
        if (traceParent == null) {
            return null;
        }
        String[] parts = traceParent.split("-");
        return parts.length >= 2 && parts[1].length() == 32 ? parts[1] : null;
    }

    /** Elasticsearch's {@code NetworkAddress.format}: {@code 127.0.0.1:9200}, {@code [::1]:9200}. */
    static String address(InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            return null;
        }
        String host = a.getAddress().getHostAddress();
        if (a.getAddress() instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + compress(zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + a.getPort();
    }

    /** The shortest IPv6 form (Java prints every group: 0:0:0:0:0:0:0:1 is ::1). */
    private static String compress(String v6) {
        String[] g = v6.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < g.length; ) {
            if (Integer.parseInt(g[i], 16) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < g.length && Integer.parseInt(g[j], 16) == 0) {
                j++;
            }
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < g.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(Integer.parseInt(g[i], 16)));
            if (i < g.length - 1) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Elasticsearch's {@code withAuthentication}: the effective user, and who ran as them. */
    private static void authentication(Entry e, Authentication authn) {
        e.put("user.name", authn.principal());
        if (authn instanceof ServiceAccountAuthn sa) {
            e.put("authentication.type", "TOKEN");
            e.put("user.realm", ServiceAccountAuthn.REALM);
            e.put("authentication.token.name", sa.authentication().tokenName());
            e.put("authentication.token.type", sa.authentication().source().tokenType());
        } else if (authn instanceof ApiKeyAuthn key) {
            e.put("authentication.type", "API_KEY");
            e.put("apikey.id", key.id());
            e.put("apikey.name", key.name());
            e.put("user.realm", key.ownerRealm() == null ? null : key.ownerRealm().name());
        } else if (authn instanceof UserAuthentication u) {
            e.put("authentication.type", u.user().username().equals("_xpack_security") ? "INTERNAL" : u.token() ? "TOKEN" : "REALM");
            if (u.isRunAs()) {
                if (u.lookupRealm() != null) {
                    e.put("user.realm", u.lookupRealm().name());
                }
                e.put("user.run_by.name", u.authenticatingUser().username());
                e.put("user.run_by.realm", u.authenticationRealm().name());
            } else {
                e.put("user.realm", u.authenticationRealm().name());
            }
        }
    }

    private static RealmRef authenticatingRealm(Authentication authn) {
        return authn instanceof UserAuthentication u ? u.authenticationRealm() : authn.effectiveRealm();
    }

    /** The realm an ignore policy's {@code realms} sees: an API key's owner realm, else the effective realm. */
    private static String filterRealm(Authentication authn) {
        if (authn instanceof ApiKeyAuthn key) {
            return key.ownerRealm() == null ? null : key.ownerRealm().name();
        }
        return authn.effectiveRealm() == null ? null : authn.effectiveRealm().name();
    }

    /** The role names of the effective subject: a user's roles, a built-in service account's one role (its name), a user-managed one's roles, none for an API key. */
    private static List<String> roles(Authentication authn) {
        if (authn instanceof UserAuthentication u) {
            return u.user().roles();
        }
        if (authn instanceof ServiceAccountAuthn sa) {
            return sa.userManaged() ? sa.roles() : List.of(sa.principal());
        }
        return List.of();
    }

    /** The name a failed credential was tried with, as Elasticsearch's token {@code principal()}. */
    private static String principal(CredentialAttempt a) {
        if (a.principal() != null) {
            return a.principal();
        }
        return a.type() == CredentialAttempt.Type.BEARER ? ServerEsMessages.BEARER_TOKEN_PRINCIPAL : null;
    }

    /** The body as compact JSON without credential fields; a body that is not JSON is left out (it could hold anything). */
    private static String filteredBody(byte[] body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null) {
                return null;
            }
            strip(n);
            return n.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(CREDENTIAL_FIELDS);
            if (o.path(API_KEY_FIELD).isTextual()) {
                // an encoded API key (the console's sign-in); the grant's api_key object describes the key to make and stays
                o.remove(API_KEY_FIELD);
            }
            o.forEach(AuditTrail::strip);
        } else if (n.isArray()) {
            n.forEach(AuditTrail::strip);
        }
    }

    private static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            if (v == null) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(v)).append('"');
        }
        return sb.append(']').toString();
    }

    private void write(Entry e) {
        file.offer(e.render());
    }

    // --- ignore_filters

    /**
     * Whether an ignore policy leaves the event out: within a policy every field matches (a missing value is the
     * empty string, which only {@code *} or an empty pattern matches; every role and index must match), policies ORed.
     */
    private boolean ignored(String user, String realm, List<String> roles, List<String> indices, String action) {
        for (Policy p : policies) {
            if (p.users.matches(user) && p.realms.matches(realm) && p.actions.matches(action)
                    && all(p.roles, roles) && all(p.indices, indices.isEmpty() ? null : indices)) {
                return true;
            }
        }
        return false;
    }

    /** Elasticsearch: an event without roles (null: authentication events) has the one value ""; an empty role list matches. */
    private static boolean all(Patterns p, List<String> values) {
        return values == null ? p.matches("") : values.stream().allMatch(p::matches);
    }

    private static final class Policy {
        final Patterns users;
        final Patterns realms;
        final Patterns roles;
        final Patterns indices;
        final Patterns actions;

        Policy(AuditSettings.Policy p) {
            users = new Patterns(p.users());
            realms = new Patterns(p.realms());
            roles = new Patterns(p.roles());
            indices = new Patterns(p.indices());
            actions = new Patterns(p.actions());
        }
    }

    /** Elasticsearch's automaton patterns: {@code *} and {@code ?} wildcards, or {@code /regex/}; an empty pattern matches "". */
    private static final class Patterns {
        private final List<Pattern> patterns = new ArrayList<>();

        Patterns(List<String> list) {
            List<String> l = list.isEmpty() ? List.of("") : list;
            for (String s : l) {
                if (s.length() >= 2 && s.startsWith("/") && s.endsWith("/")) {
                    patterns.add(Pattern.compile(s.substring(1, s.length() - 1)));
                } else {
                    StringBuilder re = new StringBuilder();
                    for (char c : s.toCharArray()) {
                        re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
                    }
                    patterns.add(Pattern.compile(re.toString()));
                }
            }
        }

        boolean matches(String value) {
            String v = value == null ? "" : value;
            return patterns.stream().anyMatch(p -> p.matcher(v).matches());
        }
    }

    /** One line's fields, rendered in {@link #ORDER}. */
    static final class Entry {
        private final Map<String, String> values = new HashMap<>();

        void put(String field, String value) {
            if (value != null && !value.isEmpty()) {
                values.put(field, value);
            }
        }

        void raw(String field, String json) {
            values.put(field, json);
        }

        String render() {
            StringBuilder sb = new StringBuilder("{");
            for (String f : ORDER) {
                String v = values.get(f);
                if (v == null) {
                    continue;
                }
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append('"').append(f).append("\":");
                if (RAW.contains(f)) {
                    sb.append(v);
                } else {
                    sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(v)).append('"');
                }
            }
            return sb.append('}').toString();
        }
    }
}
