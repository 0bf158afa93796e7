package io.svctoken.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every secret that passes through a node — passwords, service token values and their secrets, API keys,
 * wrong secrets — with every logger at TRACE: none of them appears in any log event, its arguments or
 * its exception chain.
 */
class SecretsNeverLoggedTest {

    @TempDir
    Path home;

    @Test
    void noSecretReachesTheLogsEvenAtTrace() throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        List<Logger> quiet = List.of(ctx.getLogger("io.netty"), ctx.getLogger("org.flywaydb"));
        List<Level> quietBefore = quiet.stream().map(Logger::getLevel).toList();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(ctx);
        events.start();
        root.addAppender(events);
        root.setLevel(Level.TRACE);
        quiet.forEach(l -> l.setLevel(Level.TRACE));
        List<String> secrets = new ArrayList<>();
        try {
            Files.createDirectories(home.resolve("config"));
            try (TestNode node = TestNode.start(home, Map.of("xpack.security.enrollment.enabled", "true",
                    "xpack.security.authc.token.enabled", "true"))) {
                secrets.add(TestNode.PASSWORD);
                JsonNode token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/logged").json();
                String bearer = token.at("/token/value").asText();
                secrets.add(bearer);
                secrets.add(new String(Base64.getDecoder().decode(bearer)).split(":", 2)[1]);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(bearer)).status()).isEqualTo(200);
                String wrong = bearer.substring(0, bearer.length() - 4) + "AAAA";
                secrets.add(wrong);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(wrong)).status()).isEqualTo(401);

                secrets.add("user-secret-pass");
                secrets.add("user-new-secret");
                assertThat(node.asElastic("PUT", "/_security/user/logged", "{\"password\":\"user-secret-pass\",\"roles\":[]}").status())
                        .isEqualTo(200);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("logged", "user-secret-pass")).status())
                        .isEqualTo(200);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("logged", "wrong-secret-pass")).status())
                        .isEqualTo(401);
                secrets.add("wrong-secret-pass");
                assertThat(node.asElastic("POST", "/_security/user/logged/_password", "{\"password\":\"user-new-secret\"}").status())
                        .isEqualTo(200);

                JsonNode key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"logged\"}").json();
                secrets.add(key.get("api_key").asText());
                secrets.add(key.get("encoded").asText());
                assertThat(node.request("GET", "/_security/_authenticate", "ApiKey " + key.get("encoded").asText()).status()).isEqualTo(200);
                String wrongKey = Base64.getEncoder().encodeToString((key.get("id").asText() + ":not-the-key-secret").getBytes());
                secrets.add("not-the-key-secret");
                assertThat(node.request("GET", "/_security/_authenticate", "ApiKey " + wrongKey).status()).isEqualTo(401);

                // OAuth2 tokens: made, used, refreshed (twice: the repeat), refused, invalidated
                JsonNode oauth = node.asElastic("POST", "/_security/oauth2/token",
                        "{\"grant_type\":\"password\",\"username\":\"logged\",\"password\":\"user-new-secret\"}").json();
                String access = oauth.get("access_token").asText();
                String refresh = oauth.get("refresh_token").asText();
                secrets.add(access);
                secrets.add(refresh);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(access)).status()).isEqualTo(200);
                for (int i = 0; i < 2; i++) {
                    JsonNode refreshed = node.asElastic("POST", "/_security/oauth2/token",
                            "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refresh + "\"}").json();
                    secrets.add(refreshed.get("access_token").asText());
                    secrets.add(refreshed.get("refresh_token").asText());
                }
                String wrongAccess = "A" + access.substring(1);
                secrets.add(wrongAccess);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(wrongAccess)).status()).isEqualTo(401);
                assertThat(node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"password\",\"username\":\"logged\","
                        + "\"password\":\"oauth-wrong-pass\"}").status()).isEqualTo(401);
                secrets.add("oauth-wrong-pass");
                assertThat(node.asElastic("DELETE", "/_security/oauth2/token", "{\"token\":\"" + access + "\"}").status()).isEqualTo(200);
                assertThat(node.request("GET", "/_security/_authenticate", TestNode.bearer(access)).status()).isEqualTo(401);

                Response enrolled = node.asElastic("GET", "/_security/enroll/kibana");
                if (enrolled.status() == 200) {
                    secrets.add(enrolled.json().at("/token/value").asText());
                }
                assertThat(node.asElastic("DELETE", "/_security/service/elastic/fleet-server/credential/token/logged").status()).isEqualTo(200);
            }
        } finally {
            root.detachAppender(events);
            root.setLevel(before);
            for (int i = 0; i < quiet.size(); i++) {
                quiet.get(i).setLevel(quietBefore.get(i));
            }
        }
        assertThat(LogLines.copyOf(events)).as("TRACE logging produced events to check").hasSizeGreaterThan(5);
        for (ILoggingEvent e : LogLines.copyOf(events)) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    text.append(' ').append(a);
                }
            }
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            for (String secret : secrets) {
                assertThat(text.toString()).as("log event of %s", e.getLoggerName()).doesNotContain(secret);
            }
        }
    }
}
