package io.svctoken.server.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven by its chromedriver (no Selenium Manager, no download). With {@code CI=true} a
 * missing browser fails the test (CI installs it); elsewhere the browser tests are skipped only when
 * {@code /usr/bin/chromium} is absent.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips (outside CI) or fails (in CI) when Debian's chromium is not installed. */
    static void requireChromium() {
        if ("true".equals(System.getenv("CI"))) {
            if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
                throw new AssertionError("CI needs Debian's chromium and chromium-driver (.ci/run installs them)");
            }
            return;
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no /usr/bin/chromium: the console's browser tests are skipped outside CI");
    }

    static Browser start() throws IOException {
        requireChromium();
        Path profile = Files.createTempDirectory("svctoken-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // without the background-networking flags Chromium keeps calling out, which this machine's closed network refuses
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        // the pages replace table rows as they reload them: an element found just before that is looked up again
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class).until(condition);
    }

    WebElement visible(String id) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    /** Clicks the element once it is clickable, finding it again if the page replaced it meanwhile. */
    void click(By by) {
        waitFor(d -> {
            WebElement e = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (e == null) {
                return null;
            }
            e.click();
            return true;
        });
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** The text of an element once it is not empty. */
    String textOf(String id) {
        return waitFor(d -> {
            String t = d.findElement(By.id(id)).getText();
            return t.isEmpty() ? null : t;
        });
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
