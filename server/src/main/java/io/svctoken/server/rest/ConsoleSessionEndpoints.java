package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.console.ConsoleSessions;
import io.svctoken.server.console.ConsoleSessions.Session;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.RestRequest;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;

/**
 * The management console's session, svctoken's own: {@code POST /_svctoken/console/session} signs in (a user name and
 * password for the realm chain, or an encoded API key) and sets the {@code svctoken_session} cookie;
 * {@code GET} answers the cookie's session again (a reloaded page gets its CSRF token back); {@code DELETE} (with the
 * CSRF token) ends it on every node and clears the cookie. Declared without authentication: they read the body or the
 * cookie themselves, and a refused cookie is the console's 401, not the header's.
 */
public final class ConsoleSessionEndpoints {

    static final String SIGN_IN = "cluster:admin/svctoken/console/session/create";
    static final String GET_SESSION = "cluster:monitor/svctoken/console/session/get";
    static final String SIGN_OUT = "cluster:admin/svctoken/console/session/delete";
    static final String PATH = "/_svctoken/console/session";

    private final ConsoleSessions sessions;
    private final Clock clock;

    public ConsoleSessionEndpoints(ConsoleSessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(POST, PATH).parse(SignIn::parse)
                        .access(Access.unauthenticated(SIGN_IN))
                        .execute((req, none) -> sessions.signIn(req.username, req.password, req.apiKey, req.info)
                                .thenApply(started -> new SessionReply(started.session(), clock.millis(), sessions,
                                        sessions.setCookie(started.id())))),
                Endpoint.on(GET, PATH).parse(WithCookie::parse)
                        .access(Access.unauthenticated(GET_SESSION))
                        .execute((req, none) -> sessions.current(req.cookie)
                                .thenApply(s -> new SessionReply(s, clock.millis(), sessions, null))),
                Endpoint.on(DELETE, PATH).parse(WithCookie::parse)
                        .access(Access.unauthenticated(SIGN_OUT))
                        .execute((req, none) -> sessions.signOut(req.cookie, req.csrf)
                                .thenApply(v -> new SignedOut(sessions.clearCookie()))));
    }

    /** The sign-in body: {@code username} and {@code password}, or {@code api_key}. */
    static final class SignIn implements Endpoint.Request {
        private static final ObjectParser<SignIn> PARSER =
                new ObjectParser<>(ObjectParser.Errors.objectParser(ServerEsMessages.CONSOLE_SESSION_PARSER), SignIn::new)
                        .declare("username", (s, v) -> s.username = v.string())
                        .declare("password", (s, v) -> s.password = Secret.of(v.string()))
                        .declare("api_key", (s, v) -> s.apiKey = Secret.of(v.string()));

        String username;
        Secret password;
        Secret apiKey;
        io.svctoken.core.event.RequestInfo info;

        static SignIn parse(RestRequest request) {
            request.jsonBody();
            SignIn s = PARSER.parse(request.body());
            s.info = request.info();
            return s;
        }

        @Override
        public void validate() {
            boolean user = username != null || password != null;
            boolean ok = apiKey != null ? !user && apiKey.length() > 0
                    : username != null && !username.isEmpty() && password != null && password.length() > 0;
            if (!ok) {
                for (Secret s : new Secret[]{password, apiKey}) {
                    if (s != null) {
                        s.wipe();
                    }
                }
                throw EsErrors.illegalArgument(ServerEsMessages.CONSOLE_SIGN_IN_EITHER);
            }
        }
    }

    /** The session cookie's value (null: none sent) and the CSRF header. */
    static final class WithCookie implements Endpoint.Request {
        String cookie;
        String csrf;

        static WithCookie parse(RestRequest request) {
            WithCookie w = new WithCookie();
            w.cookie = ConsoleSessions.cookieValue(request);
            w.csrf = request.header(ConsoleSessions.CSRF_HEADER);
            return w;
        }
    }

    /** A session as the pages see it; with a {@code Set-Cookie} when it was just made. */
    record SessionReply(Session session, long nowMillis, ConsoleSessions sessions, String setCookie) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("username", session.record().username());
            o.put("authentication_type", session.authentication() instanceof ApiKeyAuthn ? "api_key" : "realm");
            o.put("csrf_token", session.record().csrfToken());
            o.put("idle_timeout_in_millis", sessions.settings().idleTimeout().toMillis());
            o.put("expires_in_millis", Math.max(0, session.record().expiresMillis() - nowMillis));
            return o;
        }

        @Override
        public Map<String, List<String>> headers() {
            return setCookie == null ? Map.of() : Map.of("Set-Cookie", List.of(setCookie));
        }

        @Override
        public String toString() {
            return "SessionReply[" + session.record() + "]";
        }
    }

    /** {@code {"signed_out":true}} and the cookie cleared. */
    record SignedOut(String clearCookie) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("signed_out", true);
            return o;
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of("Set-Cookie", List.of(clearCookie));
        }
    }
}
