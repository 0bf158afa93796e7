package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.server.NodeIdentity;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.concurrent.CompletableFuture;

/** {@code GET /} (and {@code HEAD /}): the root endpoint clients use to identify the server. */
public final class MainHandler implements RestHandler {

    private final NodeIdentity identity;
    private final CompatibilityVersion version;
    private final Authorizer authorizer;
    private final boolean head;

    public MainHandler(NodeIdentity identity, CompatibilityVersion version, Authorizer authorizer, boolean head) {
        this.identity = identity;
        this.version = version;
        this.authorizer = authorizer;
        this.head = head;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        authorizer.authorize(authentication, Actions.MAIN);
        if (head) {
            return CompletableFuture.completedFuture(RestResponse.of(200, null));
        }
        ObjectNode o = Json.object();
        o.put("name", identity.nodeName());
        o.put("cluster_name", identity.clusterName());
        o.put("cluster_uuid", identity.clusterUuid());
        ObjectNode v = o.putObject("version");
        v.put("number", version.esVersionNumber());
        v.put("build_flavor", "default");
        v.put("build_type", "tar");
        v.put("build_hash", "svctoken");
        v.put("build_date", "2025-07-24T00:00:00.000000000Z");
        v.put("build_snapshot", false);
        boolean v8 = version == CompatibilityVersion.V8_19;
        v.put("lucene_version", v8 ? "9.12.2" : "10.3.1");
        v.put("minimum_wire_compatibility_version", v8 ? "7.17.0" : "8.19.0");
        v.put("minimum_index_compatibility_version", v8 ? "7.0.0" : "8.0.0");
        o.put("tagline", "You Know, for Search");
        return CompletableFuture.completedFuture(RestResponse.ok(o));
    }
}
