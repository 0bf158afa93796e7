package io.svctoken.core.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A role descriptor as Elasticsearch displays it (field order preserved), plus the parts the
 * authorizer reads. The JSON tree is kept as read so the wire form is exactly the source data.
 */
public final class RoleDescriptor {

    private final String name;
    private final ObjectNode display;
    private final List<String> cluster;
    private final List<String> runAs;

    public RoleDescriptor(String name, ObjectNode display) {
        this.name = name;
        this.display = display.deepCopy();
        this.cluster = strings(display.get("cluster"));
        this.runAs = strings(display.get("run_as"));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }

    public String name() {
        return name;
    }

    /** Cluster privileges (named privileges and action patterns), in source order. */
    public List<String> cluster() {
        return cluster;
    }

    public List<String> runAs() {
        return runAs;
    }

    /** A copy of the API-display JSON ({@code cluster}, {@code indices}, ...); the name is not part of it. */
    public ObjectNode toDisplayJson() {
        return display.deepCopy();
    }

    @Override
    public String toString() {
        return "RoleDescriptor[" + name + "]";
    }
}
