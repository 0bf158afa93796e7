package io.svctoken.server.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.svctoken.server.render.AuthenticationJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.server.NodeIdentity;
import io.svctoken.core.authz.Actions;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.Json;

import java.util.List;

import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.HEAD;

/** {@code GET /} and {@code HEAD /} (the root endpoint clients use to identify the server), and {@code _authenticate}. */
public final class InfoEndpoints {

    /** Bound on {@link #answers} (entries past it are evicted and remade on use). */
    static final int MAX_KEPT_ANSWERS = 4096;

    private final NodeIdentity identity;
    private final CompatibilityVersion version;
    /**
     * A service token's {@code _authenticate} answer, rendered once per account, token name and source: every
     * request with a cached token asks for the same bytes. The key holds everything the answer shows, so an entry
     * never goes stale (an account whose roles change is another key); entries of deleted tokens go with the bound.
     */
    private final Cache<AnswerKey, Answer> answers = Caffeine.newBuilder().maximumSize(MAX_KEPT_ANSWERS).build();

    public InfoEndpoints(NodeIdentity identity, CompatibilityVersion version) {
        this.identity = identity;
        this.version = version;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(GET, "/").noRequest()
                        .access(Access.action(Actions.MAIN))
                        .execute((req, authn) -> Endpoint.done(new Main(identity, version))),
                Endpoint.on(HEAD, "/").noRequest()
                        .access(Access.action(Actions.MAIN))
                        .execute((req, authn) -> Endpoint.done(new JsonReply(200, null))),
                // needs no privilege
                Endpoint.on(GET, "/_security/_authenticate").noRequest()
                        .access(Access.anyUser(Actions.AUTHENTICATE))
                        .execute((req, authn) -> Endpoint.done(authenticate(authn))));
    }

    private Endpoint.Reply authenticate(Authentication authn) {
        if (!(authn instanceof ServiceAccountAuthn sa)) {
            return JsonReply.ok(AuthenticationJson.authenticate(authn));
        }
        AnswerKey key = new AnswerKey(sa.authentication());
        return answers.get(key, k -> {
            ObjectNode body = AuthenticationJson.authenticate(authn);
            return new Answer(body, Json.bytes(body, false));
        });
    }

    /**
     * A kept answer: its tree (shared by every request that gets it, so never modified: filter_path works on a copy)
     * and its compact bytes.
     */
    private record Answer(JsonNode body, byte[] compactJson) implements Endpoint.Reply {
    }

    /**
     * The rendered parts of a service token's authentication. Hashed on the account's id and the token's name only
     * (the account's hash would go through its role descriptor on every request); equal when the account is equal,
     * which is a reference comparison for the built-in accounts' shared instances.
     */
    private record AnswerKey(ServiceAccountAuthentication authentication) {
        @Override
        public int hashCode() {
            return 31 * authentication.account().id().hashCode() + authentication.tokenName().hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnswerKey k && authentication.source() == k.authentication.source()
                    && authentication.tokenName().equals(k.authentication.tokenName())
                    && authentication.account().equals(k.authentication.account());
        }
    }

    /** The root endpoint's answer: this node, and the Elasticsearch version it emulates. */
    record Main(NodeIdentity identity, CompatibilityVersion version) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
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
            return o;
        }
    }
}
