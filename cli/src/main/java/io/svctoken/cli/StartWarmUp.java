package io.svctoken.cli;

import java.io.IOException;
import java.net.URL;
import java.text.DecimalFormatSymbols;
import java.util.Calendar;
import java.util.Enumeration;

/**
 * Work of the server's start that needs nothing from its settings, done on a daemon thread beside the settings'
 * reading instead of later on the main thread:
 * <ul>
 * <li>opening the class path's jars: the first look-up through every jar (SLF4J's service look-up, as logging
 * starts) opens ~50 jars, each one's directory read and its manifest checked (BouncyCastle's signed jars carry
 * ~1 MB manifests): ~40 ms of CPU measured alone;</li>
 * <li>the JDK's locale data for the default locale (number symbols, calendar data), which the SQLite driver's
 * first connection set-up loads (its default date format): 50–150 ms in the store's open on a busy machine.</li>
 * </ul>
 * Classes from the class-data archive need no jar opened, so the main thread does not wait for this thread
 * meanwhile; when it gets somewhere first, it does the work itself as without this thread.
 */
final class StartWarmUp {

    /** The look-up made: SLF4J's own (a file each logging back end has, so every jar is searched). */
    static final String LOOKUP = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    private StartWarmUp() {
    }

    /** Starts the background thread (a daemon: it never holds the JVM up). */
    static Thread start() {
        Thread t = new Thread(StartWarmUp::run, "svctoken-start-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void run() {
        try {
            Enumeration<URL> found = StartWarmUp.class.getClassLoader().getResources(LOOKUP);
            while (found.hasMoreElements()) {
                found.nextElement();
            }
        } catch (IOException | RuntimeException e) {
            // nothing lost: the look-ups that need a jar open it themselves, as without this thread
        }
        try {
            DecimalFormatSymbols.getInstance();
            Calendar.getInstance();
        } catch (RuntimeException e) {
            // nothing lost: the first user of the locale data loads it, as without this thread
        }
    }
}
