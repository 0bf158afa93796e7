package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.server.http.Router.Method;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The declaration mechanics: one routing pass, declared parameters, and read → validate → authorize → work. */
class EndpointDispatchTest {

    private static final Authorizer AUTHORIZER =
            new Authorizer(new RoleResolver(List.of(ReservedRoles.forVersion(CompatibilityVersion.V8_19)::find)));
    private static final UserAuthentication SUPERUSER =
            UserAuthentication.of(new User("elastic", List.of("superuser"), null, null, null, true), RealmRef.RESERVED);
    private static final UserAuthentication NOBODY =
            UserAuthentication.of(new User("nobody", List.of(), null, null, null, true), RealmRef.RESERVED);

    private record Named(String name) implements Endpoint.Request {
        @Override
        public void validate() {
            if (name.startsWith("_")) {
                throw EsErrors.validation(List.of("name must not start with _"));
            }
        }
    }

    private record Ok(String name) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            return Json.object().put("name", name);
        }
    }

    private static Endpoint<Named> thing(List<String> log) {
        return Endpoint.on(Set.of(Method.PUT, Method.POST), "/_thing/{name}")
                .params(Param.refresh(), Param.bool("verbose"), Param.string("note"))
                .parse(r -> {
                    log.add("parse");
                    return new Named(r.param("name"));
                })
                .access(Access.action("cluster:admin/xpack/security/user/put"))
                .execute((req, authn) -> {
                    log.add("work");
                    return Endpoint.done(new Ok(req.name()));
                });
    }

    private static RestRequest request(String method, String path, Map<String, String> query) {
        return new RestRequest(method, path, path, new LinkedHashMap<>(query), RestRequest.Headers.NONE, new byte[0]);
    }

    @Test
    void oneRoutingPassGivesTheEndpointTheAllowedMethodsAndThePathParameters() {
        Endpoint<Named> thing = thing(new ArrayList<>());
        Endpoint<?> list = Endpoint.on(Method.GET, "/_thing", "/_thing/_all").noRequest()
                .access(Access.anyUser("cluster:admin/xpack/security/user/get"))
                .execute((req, authn) -> Endpoint.done(new Ok("all")));
        Router router = new Router().add(List.of(thing, list));

        Router.Routing put = router.route(Method.PUT, "/_thing/a%20b");
        assertThat(put.endpoint()).isSameAs(thing);
        assertThat(put.pathParams()).singleElement().satisfies(p -> assertThat(p).containsExactly("name", "a b"));
        assertThat(put.allowed()).containsExactlyInAnyOrder(Method.PUT, Method.POST);

        // the most literal route wins for the method; the allowed methods come from every route matching the path
        Router.Routing all = router.route(Method.GET, "/_thing/_all");
        assertThat(all.endpoint()).isSameAs(list);
        assertThat(all.allowed()).isEqualTo(EnumSet.of(Method.GET, Method.POST, Method.PUT));

        Router.Routing wrongMethod = router.route(Method.DELETE, "/_thing/x");
        assertThat(wrongMethod.endpoint()).isNull();
        assertThat(wrongMethod.allowed()).containsExactlyInAnyOrder(Method.PUT, Method.POST);

        Router.Routing unknownMethod = router.route(null, "/_thing/x");
        assertThat(unknownMethod.endpoint()).isNull();
        assertThat(unknownMethod.allowed()).containsExactlyInAnyOrder(Method.PUT, Method.POST);

        assertThat(router.route(Method.GET, "/_nothing").allowed()).isEmpty();
    }

    private static Endpoint<?> named(Method method, String path, String name) {
        return Endpoint.on(method, path).noRequest().access(Access.anyUser("cluster:monitor/main"))
                .execute((req, authn) -> Endpoint.done(new Ok(name)));
    }

    /**
     * Only the routes that can match a path are tried (same segment count and first segment, a parameter first, or a
     * trailing {**}), and the answer is the one of trying every route in order: the most literal route of the method,
     * the first registered on a tie, the allowed methods of every matching route.
     */
    @Test
    void routingTriesOnlyTheRoutesThatCanMatchWithTheSameAnswerAsTryingThemAll() {
        Endpoint<?> root = named(Method.GET, "/", "root");
        Endpoint<?> paramFirst = named(Method.GET, "/{index}/_doc", "param-first");
        Endpoint<?> literal = named(Method.GET, "/_thing/_doc", "literal");
        Endpoint<?> tieA = named(Method.PUT, "/{index}/_x", "tie-a");
        Endpoint<?> tieB = named(Method.PUT, "/_thing/{id}", "tie-b");
        Endpoint<?> rest = named(Method.POST, "/_svc/auth/{**}", "rest");
        Endpoint<?> restEarly = named(Method.DELETE, "/{**}", "rest-early");
        Router router = new Router().add(List.of(restEarly, root, paramFirst, literal, tieA, tieB, rest));

        assertThat(router.route(Method.GET, "/").endpoint()).isSameAs(root);
        assertThat(router.route(Method.GET, "/").allowed()).containsExactly(Method.GET);
        assertThat(router.route(Method.GET, "/_thing/_doc").endpoint()).isSameAs(literal);
        assertThat(router.route(Method.GET, "/other/_doc").endpoint()).isSameAs(paramFirst);
        assertThat(router.route(Method.GET, "/other/_doc").pathParams()).singleElement()
                .satisfies(p -> assertThat(p).containsExactly("index", "other"));
        // one literal each: the first registered wins
        assertThat(router.route(Method.PUT, "/_thing/_x").endpoint()).isSameAs(tieA);
        assertThat(router.route(Method.GET, "/_thing/_x").allowed()).containsExactlyInAnyOrder(Method.PUT, Method.DELETE);
        assertThat(router.route(Method.POST, "/_svc/auth/a/b/c").endpoint()).isSameAs(rest);
        assertThat(router.route(Method.POST, "/_svc/auth").endpoint()).isNull();
        assertThat(router.route(Method.GET, "/_svc/auth/a").allowed()).containsExactlyInAnyOrder(Method.POST, Method.DELETE);
        assertThat(router.route(Method.DELETE, "/anything/at/all").endpoint()).isSameAs(restEarly);
        assertThat(router.route(Method.GET, "/_thing/_doc").allowed()).containsExactlyInAnyOrder(Method.GET, Method.PUT, Method.DELETE);
        assertThat(router.route(Method.GET, "/a/b/c/d").allowed()).containsExactly(Method.DELETE);
        assertThat(router.route(Method.GET, "//_doc").allowed()).as("an empty segment binds no parameter").containsExactly(Method.DELETE);
    }

    @Test
    void firstSegmentsNameWhereEveryRouteStartsAndNothingWhenOneStartsWithAParameter() {
        Endpoint<?> root = Endpoint.on(Method.GET, "/").noRequest()
                .access(Access.anyUser("cluster:monitor/main")).execute((req, authn) -> Endpoint.done(new Ok("root")));
        Router router = new Router().add(List.of(thing(new ArrayList<>()), root));

        assertThat(router.firstSegments()).containsExactlyInAnyOrder("_thing", "");
        Endpoint<Named> anywhere = Endpoint.on(Method.GET, "/{name}/_thing")
                .parse(r -> new Named(r.param("name"))).access(Access.anyUser("cluster:monitor/main"))
                .execute((req, authn) -> Endpoint.done(new Ok(req.name())));
        assertThat(new Router().add(List.of(root, anywhere)).firstSegments()).isNull();
    }

    @Test
    void aBodyTheEndpointNeverReadsIsRefusedAfterReadingTheRequestAndBeforeValidation() throws Exception {
        List<String> log = new ArrayList<>();
        Endpoint<Named> thing = thing(log);
        byte[] body = "{\"a\":".getBytes(StandardCharsets.UTF_8);

        // Elasticsearch's BaseRestHandler: the body check follows prepareRequest, so an invalid name is not reported
        RestRequest withBody = new RestRequest("PUT", "/_thing/_a%20b", "/_thing/_a%20b", new LinkedHashMap<>(),
                RestRequest.Headers.NONE, body);
        withBody.putPathParam("name", "_a b");
        EsException e = catchThrowableOfType(() -> thing.run(withBody, SUPERUSER, AUTHORIZER), EsException.class);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(e.getMessage()).isEqualTo("request [PUT /_thing/_a b] does not support having a body");
        assertThat(log).containsExactly("parse");

        // an endpoint that reads its body takes it; an empty body is no body
        Endpoint<Named> reader = Endpoint.on(Method.PUT, "/_read/{name}")
                .parse(r -> new Named(r.jsonBody().path("name").asText("x")))
                .access(Access.action("cluster:admin/xpack/security/user/put"))
                .execute((req, authn) -> Endpoint.done(new Ok(req.name())));
        RestRequest json = new RestRequest("PUT", "/_read/a", "/_read/a", new LinkedHashMap<>(), RestRequest.Headers.NONE,
                "{\"name\":\"y\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.run(json, SUPERUSER, AUTHORIZER).get(10, TimeUnit.SECONDS).body().toString()).isEqualTo("{\"name\":\"y\"}");
        RestRequest empty = request("PUT", "/_thing/a", Map.of());
        empty.putPathParam("name", "a");
        assertThat(thing.run(empty, SUPERUSER, AUTHORIZER).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void theRequestIsReadBeforeItsParametersAreCheckedAsElasticsearchsHandlersDo() {
        // Elasticsearch's put-user and put-role handlers parse their body before they read refresh, and
        // BaseRestHandler refuses unread parameters only after the handler has read its request
        Endpoint<Named> reader = Endpoint.on(Method.PUT, "/_read/{name}")
                .params(Param.refresh())
                .parse(r -> new Named(r.jsonBody().path("name").asText("x")))
                .access(Access.action("cluster:admin/xpack/security/user/put"))
                .execute((req, authn) -> Endpoint.done(new Ok(req.name())));
        RestRequest both = new RestRequest("PUT", "/_read/a", "/_read/a", new LinkedHashMap<>(Map.of("refresh", "now", "zzz", "1")),
                RestRequest.Headers.NONE, "[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        EsException body = catchThrowableOfType(() -> reader.run(both, SUPERUSER, AUTHORIZER), EsException.class);
        assertThat(body.getMessage()).isEqualTo("request body must be a JSON object");

        RestRequest params = new RestRequest("PUT", "/_read/a", "/_read/a", new LinkedHashMap<>(Map.of("refresh", "now", "zzz", "1")),
                RestRequest.Headers.NONE, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        EsException refresh = catchThrowableOfType(() -> reader.run(params, SUPERUSER, AUTHORIZER), EsException.class);
        assertThat(refresh.getMessage()).isEqualTo("Unknown value for refresh: [now].");

        RestRequest unknown = new RestRequest("PUT", "/_read/a", "/_read/a", new LinkedHashMap<>(Map.of("zzz", "1")),
                RestRequest.Headers.NONE, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        EsException zzz = catchThrowableOfType(() -> reader.run(unknown, SUPERUSER, AUTHORIZER), EsException.class);
        assertThat(zzz.getMessage()).isEqualTo("request [/_read/a] contains unrecognized parameter: [zzz]");
    }

    @Test
    void theUnrecognizedParameterErrorIsMadeFromTheDeclaredParameters() {
        Endpoint<Named> thing = thing(new ArrayList<>());
        RestRequest r = request("PUT", "/_thing/a", Map.of("refres", "true", "verbos", "", "zzz", "1", "note", "x"));
        r.putPathParam("name", "a");
        EsException e = catchThrowableOfType(() -> RestDispatcher.checkParams(r, thing.paramNames()), EsException.class);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.type()).isEqualTo("illegal_argument_exception");
        assertThat(e.getMessage()).isEqualTo("request [/_thing/a] contains unrecognized parameters: [refres] -> did you mean [refresh]?,"
                + " [verbos] -> did you mean [verbose]?, [zzz]");

        RestRequest known = request("PUT", "/_thing/a", Map.of("refresh", "wait_for", "verbose", "false", "note", "x", "pretty", ""));
        RestDispatcher.checkParams(known, thing.paramNames());
    }

    @Test
    void declaredParametersAreCheckedInOrderWithElasticsearchsErrors() {
        Endpoint<Named> thing = thing(new ArrayList<>());
        EsException refresh = catchThrowableOfType(() -> thing.checkParams(request("PUT", "/_thing/a", Map.of("refresh", "now",
                "verbose", "maybe"))), EsException.class);
        assertThat(refresh.getMessage()).isEqualTo("Unknown value for refresh: [now].");
        EsException verbose = catchThrowableOfType(() -> thing.checkParams(request("PUT", "/_thing/a", Map.of("verbose", "maybe"))),
                EsException.class);
        assertThat(verbose.getMessage()).isEqualTo("Failed to parse value [maybe] as only [true] or [false] are allowed.");
        assertThat(thing.paramNames()).containsExactlyInAnyOrder("refresh", "verbose", "note");
        assertThat(thing.action()).isEqualTo("cluster:admin/xpack/security/user/put");
    }

    @Test
    void validationComesBeforeAuthorizationAndAuthorizationBeforeTheWork() throws Exception {
        List<String> log = new ArrayList<>();
        Endpoint<Named> thing = thing(log);

        RestRequest invalid = request("PUT", "/_thing/_x", Map.of());
        invalid.putPathParam("name", "_x");
        EsException e = catchThrowableOfType(() -> thing.run(invalid, NOBODY, AUTHORIZER), EsException.class);
        assertThat(e.type()).isEqualTo("action_request_validation_exception");

        RestRequest valid = request("PUT", "/_thing/x", Map.of());
        valid.putPathParam("name", "x");
        AuthorizationDeniedException refused = catchThrowableOfType(() -> thing.run(valid, NOBODY, AUTHORIZER),
                AuthorizationDeniedException.class);
        assertThat(refused.getMessage()).startsWith("action [cluster:admin/xpack/security/user/put] is unauthorized for user [nobody]");
        assertThat(log).containsExactly("parse", "parse");

        RestResponse ok = thing.run(valid, SUPERUSER, AUTHORIZER).get(10, TimeUnit.SECONDS);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().toString()).isEqualTo("{\"name\":\"x\"}");
        assertThat(log).containsExactly("parse", "parse", "parse", "work");
    }
}
