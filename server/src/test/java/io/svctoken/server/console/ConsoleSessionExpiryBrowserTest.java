package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A console session that sat idle past a short idle timeout: the page's next call returns it to the sign-in form. */
class ConsoleSessionExpiryBrowserTest {

    private static final long IDLE_MILLIS = 2000;
    private static TestNode node;
    private static Browser browser;

    @BeforeAll
    static void start(@TempDir Path home) throws Exception {
        Browser.requireChromium();
        node = TestNode.start(home, Map.of("svctoken.console.session.idle_timeout", IDLE_MILLIS + "ms"));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anIdleSessionReturnsToSignIn() {
        browser.driver.get(node.baseUrl() + "/_svctoken/console/");
        browser.visible("username").sendKeys("elastic");
        browser.driver.findElement(By.id("password")).sendKeys(TestNode.PASSWORD);
        browser.driver.findElement(By.id("signin-submit")).click();
        browser.visible("accounts-table");
        // the session is left alone past its idle timeout (a deadline the explicit wait checks), then the page's next call
        long idleUntil = System.nanoTime() + IDLE_MILLIS * 1_000_000L + 500_000_000L;
        browser.waitFor(d -> System.nanoTime() > idleUntil);
        browser.driver.findElement(By.id("nav-nodes")).click();
        browser.visible("view-signin");
        assertThat(browser.textOf("alert")).isEqualTo("Your session has expired. Sign in again.");
        assertThat(browser.driver.findElement(By.id("nav")).isDisplayed()).isFalse();
    }
}
