package io.svctoken.cli;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ServerJvmDefaultsTest {

    @Test
    void leakDetectionIsOffUnlessTheJvmOptionsSayOtherwise() {
        Properties none = new Properties();
        ServerJvmDefaults.apply(none);
        assertThat(none.getProperty(ServerJvmDefaults.LEAK_DETECTION)).isEqualTo("disabled");

        Properties chosen = new Properties();
        chosen.setProperty(ServerJvmDefaults.LEAK_DETECTION, "paranoid");
        ServerJvmDefaults.apply(chosen);
        assertThat(chosen.getProperty(ServerJvmDefaults.LEAK_DETECTION)).isEqualTo("paranoid");

        Properties legacy = new Properties();
        legacy.setProperty(ServerJvmDefaults.LEAK_DETECTION_LEGACY, "advanced");
        ServerJvmDefaults.apply(legacy);
        assertThat(legacy.getProperty(ServerJvmDefaults.LEAK_DETECTION)).isNull();
    }
}
