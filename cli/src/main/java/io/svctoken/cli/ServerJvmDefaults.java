package io.svctoken.cli;

import java.util.Properties;

/**
 * System properties the server sets for itself before any library reads them, unless the JVM options set them.
 * Netty's leak detector records a stack trace for one buffer in 128, about 3% of the event loops' CPU on a small
 * forwarded or cached request; servers built on Netty (Vert.x, Quarkus) switch it off in production and keep it in
 * their tests, as svctoken's tests do (they start nodes in-process, without this class).
 * {@code -Dio.netty.leakDetection.level=simple} in {@code config/jvm.options.d/} turns it back on.
 */
final class ServerJvmDefaults {

    static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    /** The name Netty read before 4.1; still honoured by it, so a value under it is the operator's choice too. */
    static final String LEAK_DETECTION_LEGACY = "io.netty.leakDetectionLevel";

    private ServerJvmDefaults() {
    }

    static void apply(Properties system) {
        if (system.getProperty(LEAK_DETECTION) == null && system.getProperty(LEAK_DETECTION_LEGACY) == null) {
            system.setProperty(LEAK_DETECTION, "disabled");
        }
    }
}
