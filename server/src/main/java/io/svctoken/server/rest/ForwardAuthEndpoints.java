package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.Router;
import io.svctoken.server.http.Router.Method;
import io.svctoken.server.render.AuthenticationJson;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward authentication for reverse proxies (nginx {@code auth_request}, Traefik ForwardAuth, Envoy ext_authz in HTTP
 * mode): {@code /_svctoken/auth} with the client's {@code Authorization} header, on any method the proxy uses. The
 * normal (cached) authentication decides: 200 with the principal in {@code X-Svctoken-*} headers (and the
 * {@code _authenticate} body), 401 with Elasticsearch's challenges, 429 when throttled, and 403 when
 * {@code ?action=} names cluster actions the caller's privileges do not grant.
 */
public final class ForwardAuthEndpoints {

    static final String ACTION = "cluster:monitor/svctoken/auth";
    static final String PRINCIPAL = "X-Svctoken-Principal";
    static final String REALM = "X-Svctoken-Realm";
    static final String AUTHENTICATION_TYPE = "X-Svctoken-Authentication-Type";
    static final String SERVICE_ACCOUNT = "X-Svctoken-Service-Account";
    static final String TOKEN_NAME = "X-Svctoken-Token-Name";
    static final String TOKEN_SOURCE = "X-Svctoken-Token-Source";
    static final String API_KEY_ID = "X-Svctoken-Api-Key-Id";
    static final String API_KEY_NAME = "X-Svctoken-Api-Key-Name";
    static final String ROLES = "X-Svctoken-Roles";

    /** Forward authentication's path; also everything under it. */
    public static final String PATH = "/_svctoken/auth";

    private static final Set<Method> METHODS = Set.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.PATCH);

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(METHODS, PATH)
                        .params(Param.string("action"))
                        .parse(Check::parse)
                        .access(Access.anyUserAnd(ACTION, Check::actions))
                        .execute((req, authn) -> Endpoint.done(new Allowed(authn))),
                // Envoy's ext_authz asks for its path_prefix followed by the client's path and query: those are the
                // client's, so no ?action= is read from them
                Endpoint.on(METHODS, PATH + "/" + Router.REST)
                        .anyParams()
                        .parse(r -> Check.of(r, List.of()))
                        .access(Access.anyUserAnd(ACTION, Check::actions))
                        .execute((req, authn) -> Endpoint.done(new Allowed(authn))));
    }

    /** The cluster actions the caller must be granted (none: any authenticated caller). */
    record Check(List<String> actions) implements Endpoint.Request {
        static Check parse(RestRequest r) {
            String a = r.param("action");
            List<String> actions = a == null || a.isEmpty() ? List.of() : List.of(a.split(","));
            return of(r, actions.stream().map(String::trim).toList());
        }

        static Check of(RestRequest r, List<String> actions) {
            if (r.hasBody()) {
                r.body(); // Envoy may send the client's body along; it plays no part
            }
            return new Check(actions);
        }

        @Override
        public void validate() {
            for (String a : actions) {
                if (!a.startsWith("cluster:")) {
                    throw EsErrors.illegalArgument(ServerEsMessages.forwardAuthNotAClusterAction(a));
                }
            }
        }
    }

    /** 200: the principal in headers, and the {@code _authenticate} body. */
    record Allowed(Authentication authn) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            return AuthenticationJson.authenticate(authn);
        }

        @Override
        public Map<String, List<String>> headers() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            put(h, PRINCIPAL, authn.principal());
            put(h, REALM, authn.effectiveRealm().name());
            if (authn instanceof ServiceAccountAuthn sa) {
                put(h, AUTHENTICATION_TYPE, "token");
                put(h, SERVICE_ACCOUNT, sa.principal());
                put(h, TOKEN_NAME, sa.authentication().tokenName());
                put(h, TOKEN_SOURCE, sa.authentication().source().esName());
            } else if (authn instanceof ApiKeyAuthn key) {
                put(h, AUTHENTICATION_TYPE, "api_key");
                put(h, API_KEY_ID, key.id());
                if (key.name() != null) {
                    put(h, API_KEY_NAME, key.name());
                }
            } else if (authn instanceof UserAuthentication u) {
                put(h, AUTHENTICATION_TYPE, u.token() ? "token" : "realm");
                put(h, ROLES, String.join(",", u.user().roles()));
            }
            return h;
        }

        private static void put(Map<String, List<String>> h, String name, String value) {
            h.put(name, List.of(headerValue(value)));
        }
    }

    /**
     * A name as a header value: printable ASCII as it is, anything else (non-ASCII letters, control characters that
     * could split a header) percent-encoded as UTF-8, and {@code %} itself too so the value decodes unambiguously.
     */
    static String headerValue(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '%') {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            i = end - 1;
        }
        return sb == null ? s : sb.toString();
    }
}
