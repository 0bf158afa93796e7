package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.server.gateway.Upstreams;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.Json;

import java.util.List;
import java.util.function.Supplier;

import static io.svctoken.server.http.Router.Method.GET;

/**
 * svctoken's own view of the gateway: {@code GET /_svctoken/gateway/upstreams} lists each upstream's address, whether it
 * is up, since when, and the class of the last error (never a message, never credentials). Empty when the gateway is off.
 */
public final class GatewayEndpoints {

    /** Granted by the {@code monitor} cluster privilege, as Elasticsearch's {@code cluster:monitor/*} actions are. */
    public static final String UPSTREAMS_ACTION = "cluster:monitor/svctoken/gateway/upstreams";

    private final Supplier<List<Upstreams.Status>> statuses;

    public GatewayEndpoints(Supplier<List<Upstreams.Status>> statuses) {
        this.statuses = statuses;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(Endpoint.on(GET, "/_svctoken/gateway/upstreams").noRequest()
                .access(Access.action(UPSTREAMS_ACTION))
                .execute((req, authn) -> Endpoint.done(JsonReply.ok(render(statuses.get())))));
    }

    private static ObjectNode render(List<Upstreams.Status> list) {
        ObjectNode o = Json.object();
        ArrayNode out = o.putArray("upstreams");
        for (Upstreams.Status s : list) {
            ObjectNode u = out.addObject();
            u.put("address", s.address());
            u.put("state", s.up() ? "up" : "down");
            u.put("since", s.since().toString());
            if (s.lastError() == null) {
                u.putNull("last_error");
            } else {
                u.put("last_error", s.lastError());
            }
        }
        return o;
    }
}
