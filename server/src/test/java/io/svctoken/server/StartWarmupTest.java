package io.svctoken.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StartWarmupTest {

    @Test
    void runsBcryptOnADaemonThreadAndEnds() throws Exception {
        var done = StartWarmup.start();
        assertThat(done.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("svctoken-warmup") && !t.isDaemon());
    }
}
