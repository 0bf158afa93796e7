package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code xpack.security.audit.*}, as Elasticsearch's logfile audit trail reads them, and svctoken's
 * {@code svctoken.audit.on_write_failure}. Off unless {@code xpack.security.audit.enabled} is true.
 *
 * @param policies the {@code ignore_filters} policies by name, each field's patterns ({@code *} when not given)
 */
public record AuditSettings(boolean enabled, Set<Event> events, boolean emitRequestBody, boolean emitNodeName, boolean emitHostAddress,
                            boolean emitHostName, boolean emitClusterName, boolean emitNodeId, boolean emitClusterUuid,
                            Map<String, Policy> policies, OnWriteFailure onWriteFailure) {

    /** Elasticsearch's {@code AuditLevel}: the event names of {@code events.include} and {@code events.exclude}. */
    public enum Event {
        ANONYMOUS_ACCESS_DENIED, AUTHENTICATION_FAILED, REALM_AUTHENTICATION_FAILED, ACCESS_GRANTED, ACCESS_DENIED, TAMPERED_REQUEST,
        CONNECTION_GRANTED, CONNECTION_DENIED, SYSTEM_ACCESS_GRANTED, AUTHENTICATION_SUCCESS, RUN_AS_GRANTED, RUN_AS_DENIED,
        SECURITY_CONFIG_CHANGE
    }

    /**
     * What happens to requests while the audit file cannot be written: {@code continue} serves them (Elasticsearch's
     * behaviour, the lost events are counted in the node log), {@code refuse} answers them with a 503 (fail closed, as Vault).
     */
    public enum OnWriteFailure { CONTINUE, REFUSE }

    /** One {@code ignore_filters} policy: every field's patterns must match for an event to be left out. */
    public record Policy(List<String> users, List<String> realms, List<String> roles, List<String> indices, List<String> actions) {
    }

    private static final String PREFIX = "xpack.security.audit.";
    private static final String FILTERS = PREFIX + "logfile.events.ignore_filters.";
    private static final List<String> DEFAULT_INCLUDE = List.of("access_denied", "access_granted", "anonymous_access_denied",
            "authentication_failed", "connection_denied", "tampered_request", "run_as_denied", "run_as_granted", "security_config_change");

    public static final Setting<Boolean> ENABLED = Setting.bool(PREFIX + "enabled", false);
    public static final Setting<List<String>> INCLUDE = Setting.of(PREFIX + "logfile.events.include", AuditSettings::eventNames,
            DEFAULT_INCLUDE, Setting.Property.DYNAMIC);
    public static final Setting<List<String>> EXCLUDE = Setting.of(PREFIX + "logfile.events.exclude", AuditSettings::eventNames,
            List.of(), Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_REQUEST_BODY = Setting.bool(PREFIX + "logfile.events.emit_request_body", false,
            Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_NODE_NAME = Setting.bool(PREFIX + "logfile.emit_node_name", false, Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_NODE_HOST_ADDRESS = Setting.bool(PREFIX + "logfile.emit_node_host_address", false,
            Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_NODE_HOST_NAME = Setting.bool(PREFIX + "logfile.emit_node_host_name", false,
            Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_CLUSTER_NAME = Setting.bool(PREFIX + "logfile.emit_cluster_name", false,
            Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_NODE_ID = Setting.bool(PREFIX + "logfile.emit_node_id", true, Setting.Property.DYNAMIC);
    public static final Setting<Boolean> EMIT_CLUSTER_UUID = Setting.bool(PREFIX + "logfile.emit_cluster_uuid", true, Setting.Property.DYNAMIC);
    public static final Setting<OnWriteFailure> ON_WRITE_FAILURE = Setting.of("svctoken.audit.on_write_failure", (k, v) -> {
        try {
            return OnWriteFailure.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("unknown value [" + v + "] for setting [" + k + "], expected one of [continue, refuse]");
        }
    }, OnWriteFailure.CONTINUE);
    public static final Setting<List<String>> IGNORE_USERS = filter("users");
    public static final Setting<List<String>> IGNORE_REALMS = filter("realms");
    public static final Setting<List<String>> IGNORE_ROLES = filter("roles");
    public static final Setting<List<String>> IGNORE_INDICES = filter("indices");
    public static final Setting<List<String>> IGNORE_ACTIONS = filter("actions");

    /** The settings parsed one by one. */
    static final SettingsRegistry.Group<Void> GROUP = new SettingsRegistry.Group<>("audit", null, List.of(ENABLED, INCLUDE, EXCLUDE,
            EMIT_REQUEST_BODY, EMIT_NODE_NAME, EMIT_NODE_HOST_ADDRESS, EMIT_NODE_HOST_NAME, EMIT_CLUSTER_NAME, EMIT_NODE_ID, EMIT_CLUSTER_UUID,
            ON_WRITE_FAILURE), c -> null);

    /** The {@code ignore_filters} policies (affix settings, parsed here), and the whole audit configuration. */
    static final SettingsRegistry.Group<AuditSettings> FILTERS_GROUP = new SettingsRegistry.Group<>("audit filters", FILTERS,
            List.of(IGNORE_USERS, IGNORE_REALMS, IGNORE_ROLES, IGNORE_INDICES, IGNORE_ACTIONS), c -> of(c.values(), c.raw()));

    private static Setting<List<String>> filter(String field) {
        return Setting.of(FILTERS + "<policy>." + field, (k, v) -> list(v), List.of("*"), Setting.Property.DYNAMIC);
    }

    static AuditSettings of(SettingValues v, Map<String, String> filters) {
        EnumSet<Event> events = EnumSet.noneOf(Event.class);
        events.addAll(levels(v.get(INCLUDE)));
        events.removeAll(levels(v.get(EXCLUDE)));
        return new AuditSettings(v.get(ENABLED), events, v.get(EMIT_REQUEST_BODY), v.get(EMIT_NODE_NAME), v.get(EMIT_NODE_HOST_ADDRESS),
                v.get(EMIT_NODE_HOST_NAME), v.get(EMIT_CLUSTER_NAME), v.get(EMIT_NODE_ID), v.get(EMIT_CLUSTER_UUID), policies(filters),
                v.get(ON_WRITE_FAILURE));
    }

    private static final Pattern FILTER_KEY = Pattern.compile(Pattern.quote(FILTERS) + "([^.]+)\\.(users|realms|roles|indices|actions)");

    private static Map<String, Policy> policies(Map<String, String> raw) {
        Map<String, Map<String, List<String>>> byPolicy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            Matcher m = FILTER_KEY.matcher(e.getKey());
            if (!m.matches()) {
                throw new SettingsException(ServerEsMessages.unknownSetting(e.getKey()));
            }
            byPolicy.computeIfAbsent(m.group(1), x -> new LinkedHashMap<>()).put(m.group(2), list(e.getValue()));
        }
        Map<String, Policy> out = new LinkedHashMap<>();
        byPolicy.forEach((name, f) -> out.put(name, new Policy(f.getOrDefault("users", List.of("*")), f.getOrDefault("realms", List.of("*")),
                f.getOrDefault("roles", List.of("*")), f.getOrDefault("indices", List.of("*")), f.getOrDefault("actions", List.of("*")))));
        return Map.copyOf(out);
    }

    /** A comma-separated list (a YAML list arrives joined by commas), items trimmed; an empty value is an empty list. */
    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        if (v.isBlank()) {
            return out;
        }
        for (String s : v.split(",", -1)) {
            out.add(s.trim());
        }
        return List.copyOf(out);
    }

    /** Checks each name as Elasticsearch's {@code AuditLevel.parse}: {@code _all} or an event name, in any case. */
    private static List<String> eventNames(String key, String v) {
        List<String> names = list(v);
        levels(names);
        return names;
    }

    private static EnumSet<Event> levels(List<String> names) {
        EnumSet<Event> out = EnumSet.noneOf(Event.class);
        for (String n : names) {
            if ("_all".equals(n.toLowerCase(Locale.ROOT))) {
                out.addAll(EnumSet.allOf(Event.class));
                continue;
            }
            try {
                out.add(Event.valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(ServerEsMessages.invalidAuditEventName(n));
            }
        }
        return out;
    }
}
