package io.svctoken.cli;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * Opens the class path's jars on a background thread as the server starts. The first look-up of a resource in
 * every jar (SLF4J's service look-up, the first of them, as logging starts) opens every jar: ~50 of them, each
 * one's directory read and its manifest checked (BouncyCastle's manifests are ~1 MB): ~40 ms of CPU measured
 * alone, that the main thread otherwise spends between reading the settings and setting up logging. Started
 * before the settings are read, it runs beside them, and that look-up finds the jars open. Classes from the
 * class-data archive need no jar opened, so the main thread does not wait for this thread meanwhile.
 */
final class ClassPathOpener {

    /** The look-up made: SLF4J's own (a file each logging back end has, so every jar is searched). */
    static final String LOOKUP = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    private ClassPathOpener() {
    }

    /** Starts the background thread (a daemon: it never holds the JVM up). */
    static Thread start() {
        Thread t = new Thread(ClassPathOpener::open, "svctoken-classpath");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void open() {
        try {
            Enumeration<URL> found = ClassPathOpener.class.getClassLoader().getResources(LOOKUP);
            while (found.hasMoreElements()) {
                found.nextElement();
            }
        } catch (IOException | RuntimeException e) {
            // nothing lost: the look-ups that need a jar open it themselves, as without this thread
        }
    }
}
