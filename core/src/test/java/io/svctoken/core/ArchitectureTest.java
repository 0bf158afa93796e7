package io.svctoken.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** core has no network, no SQL and no file-system code: those come in through its interfaces. */
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

    @Test
    void nettyAndJdbcDriversAreNotOnCoresClassPath() {
        assertThatThrownBy(() -> Class.forName("io.netty.channel.Channel")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.sqlite.JDBC")).isInstanceOf(ClassNotFoundException.class);
    }
}
