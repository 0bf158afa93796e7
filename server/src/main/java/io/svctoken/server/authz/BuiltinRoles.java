package io.svctoken.server.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.http.Json;

import java.util.Optional;

/** Elasticsearch's reserved roles that svctoken knows. */
public final class BuiltinRoles {

    public static final String SUPERUSER = "superuser";
    private static final RoleDescriptor SUPERUSER_DESCRIPTOR;

    static {
        ObjectNode d = Json.object();
        d.putArray("cluster").add("all");
        ObjectNode idx = d.putArray("indices").addObject();
        idx.putArray("names").add("*");
        idx.putArray("privileges").add("all");
        idx.put("allow_restricted_indices", false);
        ObjectNode app = d.putArray("applications").addObject();
        app.put("application", "*");
        app.putArray("privileges").add("*");
        app.putArray("resources").add("*");
        d.putArray("run_as").add("*");
        d.putObject("metadata").put("_reserved", true);
        d.putObject("transient_metadata").put("enabled", true);
        SUPERUSER_DESCRIPTOR = new RoleDescriptor(SUPERUSER, d);
    }

    private BuiltinRoles() {
    }

    public static Optional<RoleDescriptor> find(String name) {
        return SUPERUSER.equals(name) ? Optional.of(SUPERUSER_DESCRIPTOR) : Optional.empty();
    }
}
