package io.svctoken.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * core has no network, no SQL and no file-system code: those come in through its interfaces. Its identity
 * domain (authentication, realms, API keys, authorization, their refusals) is plain Java: no HTTP type, no
 * server type, and no response rendering. Jackson is allowed in core for reading (role descriptors, YAML files,
 * stored JSON), for keeping user-supplied JSON objects as opaque data (user metadata, role descriptor bodies, an
 * API key's creator) and for the JSON text the store keeps; responses are rendered by the server only.
 */
class ArchitectureTest {

    private static final List<String> FORBIDDEN = List.of("io/netty/", "java/sql/", "javax/sql/", "java/nio/file/",
            "java/io/File", "java/net/Socket", "java/net/http/");

    @Test
    void coreClassesReferenceNoNetworkSqlOrFiles() throws IOException, URISyntaxException {
        Path classes = Path.of(EsMessages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> classFiles = files.filter(p -> p.toString().endsWith(".class")).toList();
            assertThat(classFiles).hasSizeGreaterThan(20);
            for (Path c : classFiles) {
                // Class files name every referenced type in their constant pool, as internal names.
                String pool = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
                for (String f : FORBIDDEN) {
                    assertThat(pool).as(classes.relativize(c) + " references " + f).doesNotContain(f);
                }
            }
        }
    }

    /** The identity domain's packages, as class-file path prefixes. */
    private static final List<String> DOMAIN = List.of("io/svctoken/core/authc/", "io/svctoken/core/authz/",
            "io/svctoken/core/apikey/", "io/svctoken/core/realm/", "io/svctoken/core/error/");

    /** HTTP, the server, and the writing side of Jackson (how responses are rendered). */
    private static final List<String> FORBIDDEN_IN_DOMAIN = List.of("io/netty/", "io/svctoken/server/", "java/net/http/",
            "com/fasterxml/jackson/core/JsonGenerator", "com/fasterxml/jackson/databind/ObjectWriter",
            "com/fasterxml/jackson/databind/SerializerProvider", "com/fasterxml/jackson/databind/JsonSerializer");

    @Test
    void theIdentityDomainReferencesNoHttpServerOrRendering() throws IOException, URISyntaxException {
        Path classes = Path.of(EsMessages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        int domainClasses = 0;
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path c : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(c).toString().replace('\\', '/');
                if (DOMAIN.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                domainClasses++;
                String pool = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
                for (String f : FORBIDDEN_IN_DOMAIN) {
                    assertThat(pool).as(name + " references " + f).doesNotContain(f);
                }
            }
        }
        // the domain lives here: authentication results, realms, API keys, the authorizer and their refusals
        assertThat(domainClasses).isGreaterThan(25);
    }

    /** Authentication results are data: the only JSON they hold is user-supplied objects, and none renders itself. */
    @Test
    void authenticationResultsAreDataWithoutRendering() throws ClassNotFoundException {
        Class<?> authentication = Class.forName("io.svctoken.core.authc.Authentication");
        assertThat(authentication.isSealed()).isTrue();
        List<Class<?>> types = new ArrayList<>(List.of(authentication.getPermittedSubclasses()));
        types.add(Class.forName("io.svctoken.core.authc.User"));
        types.add(Class.forName("io.svctoken.core.authc.RealmRef"));
        for (Class<?> t : types) {
            assertThat(t.isRecord() || t.isInterface()).as(t + " is a record").isTrue();
            for (Method m : t.getDeclaredMethods()) {
                boolean json = m.getReturnType().getName().startsWith("com.fasterxml.jackson");
                assertThat(!json || List.of("User.metadata", "ApiKeyAuthn.creator").contains(t.getSimpleName() + "." + m.getName()))
                        .as(t.getSimpleName() + "." + m.getName() + " returns " + m.getReturnType().getSimpleName()).isTrue();
                assertThat(m.getName().toLowerCase(Locale.ROOT)).as(t.getSimpleName() + "." + m.getName()).doesNotContain("json");
            }
        }
    }

    @Test
    void nettyAndJdbcDriversAreNotOnCoresClassPath() {
        assertThatThrownBy(() -> Class.forName("io.netty.channel.Channel")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.sqlite.JDBC")).isInstanceOf(ClassNotFoundException.class);
    }
}
