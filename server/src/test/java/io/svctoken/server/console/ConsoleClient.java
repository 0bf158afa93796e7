package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A browser's side of a console session on a test node: the cookie it got at sign-in and the CSRF token. */
public final class ConsoleClient {

    public static final String SESSION = "/_svctoken/console/session";
    private static final Pattern COOKIE = Pattern.compile("svctoken_session=([A-Za-z0-9_-]{43}); .*");

    public final String cookie;
    public final String csrf;
    public final Response signIn;

    private ConsoleClient(String cookie, String csrf, Response signIn) {
        this.cookie = cookie;
        this.csrf = csrf;
        this.signIn = signIn;
    }

    /** Signs in with this JSON body; fails unless the node answered 200 with a session cookie. */
    public static ConsoleClient signIn(TestNode node, String body) throws Exception {
        Response r = node.request("POST", SESSION, null, body, Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Matcher m = COOKIE.matcher(r.header("Set-Cookie"));
        assertThat(m.matches()).as(r.header("Set-Cookie")).isTrue();
        return new ConsoleClient(m.group(1), r.json().path("csrf_token").asText(), r);
    }

    public static ConsoleClient signInAs(TestNode node, String user, String password) throws Exception {
        return signIn(node, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    }

    /** A request as the pages send it: the cookie (plus the CSRF header when {@code withCsrf}), no Authorization. */
    public Response request(TestNode node, String method, String path, String body, boolean withCsrf) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Cookie", "other=1; svctoken_session=" + cookie);
        if (withCsrf) {
            h.put("X-CSRF-Token", csrf);
        }
        return node.request(method, path, null, body, h);
    }

    public Response get(TestNode node, String path) throws Exception {
        return request(node, "GET", path, null, false);
    }
}
