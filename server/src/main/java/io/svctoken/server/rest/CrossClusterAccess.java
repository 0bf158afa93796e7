package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code access} of a cross-cluster API key ({@code search} and {@code replication} index entries) and the one role
 * descriptor, {@code cross_cluster}, Elasticsearch derives from it: fixed cluster and index privileges per kind of access.
 * The get and query APIs show the access again, read back from that descriptor.
 */
final class CrossClusterAccess {

    static final String DESCRIPTOR_NAME = "cross_cluster";
    private static final List<String> SEARCH_PRIVILEGES = List.of("read", "read_cross_cluster", "view_index_metadata");
    private static final List<String> REPLICATION_PRIVILEGES = List.of("cross_cluster_replication", "cross_cluster_replication_internal");

    private CrossClusterAccess() {
    }

    /** The descriptor for {@code access}; a refusal with Elasticsearch's texts when the access is malformed or empty. */
    static RoleDescriptor descriptor(JsonNode access) {
        if (!access.isObject()) {
            throw EsErrors.illegalArgument(ServerEsMessages.CROSS_CLUSTER_ACCESS_EMPTY);
        }
        ArrayNode indices = Json.MAPPER.createArrayNode();
        int search = 0;
        int replication = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = access.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean isSearch = e.getKey().equals("search");
            if (!isSearch && !e.getKey().equals("replication")) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.crossClusterAccessUnknownField(e.getKey()));
            }
            if (!e.getValue().isArray()) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.crossClusterAccessWrongType(e.getKey(), e.getValue()));
            }
            for (JsonNode entry : e.getValue()) {
                indices.add(entry(entry, isSearch));
                if (isSearch) {
                    search++;
                } else {
                    replication++;
                }
            }
        }
        if (search == 0 && replication == 0) {
            throw EsErrors.illegalArgument(ServerEsMessages.CROSS_CLUSTER_ACCESS_EMPTY);
        }
        ObjectNode d = Json.object();
        ArrayNode cluster = d.putArray("cluster");
        if (search > 0) {
            cluster.add("cross_cluster_search").add("monitor_enrich");
        }
        if (replication > 0) {
            cluster.add("cross_cluster_replication");
        }
        d.set("indices", indices);
        d.putArray("applications");
        d.putArray("run_as");
        d.putObject("metadata");
        d.putObject("transient_metadata").put("enabled", true);
        return new RoleDescriptor(DESCRIPTOR_NAME, d);
    }

    private static ObjectNode entry(JsonNode in, boolean search) {
        if (!in.isObject()) {
            throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.crossClusterIndicesParse("expected field [names]"));
        }
        if (in.has("privileges")) {
            throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.crossClusterIndicesParse("field [privileges] must not present"));
        }
        ObjectNode out = Json.object();
        ArrayNode names = out.putArray("names");
        JsonNode n = in.get("names");
        if (n == null || n.isNull()) {
            throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.crossClusterIndicesParse("missing required [names] field"));
        }
        if (n.isArray()) {
            n.forEach(x -> names.add(x.asText()));
        } else {
            names.add(n.asText());
        }
        ArrayNode privileges = out.putArray("privileges");
        (search ? SEARCH_PRIVILEGES : REPLICATION_PRIVILEGES).forEach(privileges::add);
        JsonNode fls = in.get("field_security");
        JsonNode query = in.get("query");
        if (!search && (fls != null || query != null)) {
            throw EsErrors.illegalArgument(ServerEsMessages.CROSS_CLUSTER_REPLICATION_DLS_FLS);
        }
        if (fls != null && !fls.isNull()) {
            out.set("field_security", fls.deepCopy());
        }
        if (query != null && !query.isNull()) {
            out.put("query", query.isTextual() ? query.asText() : query.toString());
        }
        out.put("allow_restricted_indices", in.path("allow_restricted_indices").asBoolean(false));
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("names", "field_security", "query", "allow_restricted_indices").contains(f)) {
                throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.crossClusterIndicesParse("unexpected field [" + f + "]"));
            }
        }
        return out;
    }

    /** The access a stored {@code cross_cluster} descriptor grants, as the get API shows it: search entries, then replication. */
    static ObjectNode access(ObjectNode roleDescriptors) {
        ObjectNode access = Json.object();
        JsonNode d = roleDescriptors.path(DESCRIPTOR_NAME);
        ArrayNode search = Json.MAPPER.createArrayNode();
        ArrayNode replication = Json.MAPPER.createArrayNode();
        for (JsonNode entry : d.path("indices")) {
            boolean isSearch = false;
            for (JsonNode p : entry.path("privileges")) {
                isSearch |= p.asText().equals("read");
            }
            ObjectNode out = Json.object();
            out.set("names", entry.path("names").deepCopy());
            if (isSearch && entry.has("field_security")) {
                out.set("field_security", entry.get("field_security").deepCopy());
            }
            if (isSearch && entry.has("query")) {
                out.set("query", entry.get("query").deepCopy());
            }
            out.put("allow_restricted_indices", entry.path("allow_restricted_indices").asBoolean(false));
            (isSearch ? search : replication).add(out);
        }
        if (!search.isEmpty()) {
            access.set("search", search);
        }
        if (!replication.isEmpty()) {
            access.set("replication", replication);
        }
        return access;
    }
}
