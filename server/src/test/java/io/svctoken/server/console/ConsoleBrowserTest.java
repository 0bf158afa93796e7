package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management console in a real browser against a real node: sign-in, a token's whole life from the pages (its
 * value shown once and usable by any HTTP client), what a read-only user sees, CSRF, the keyboard, 200 % zoom, and
 * the screenshots of the main pages.
 */
class ConsoleBrowserTest {

    private static final String TOKENS = "/_svctoken/console/#/tokens/elastic/fleet-server";
    private static TestNode node;
    private static Browser browser;

    @BeforeAll
    static void start(@TempDir Path home) throws Exception {
        Browser.requireChromium();
        node = TestNode.start(home, Map.of());
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

    @BeforeEach
    void signedOut() {
        browser.driver.manage().window().setSize(new Dimension(1280, 900));
        browser.driver.get(node.baseUrl() + "/_svctoken/console/");
        browser.driver.manage().deleteAllCookies();
        browser.driver.navigate().refresh();
        browser.visible("signin-form");
    }

    private void signIn(String user, String password) {
        browser.visible("username").sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver.findElement(By.id("signin-submit")).click();
        browser.visible("nav");
    }

    private void open(String hashPath) {
        browser.driver.get(node.baseUrl() + hashPath);
    }

    private WebElement tokenRow(String name) {
        return browser.waitFor(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token='" + name + "']"))
                .stream().findFirst().orElse(null));
    }

    private void clickInRow(String token, String buttonText) {
        browser.waitFor(d -> {
            for (WebElement b : tokenRow(token).findElements(By.tagName("button"))) {
                if (b.getText().equals(buttonText) && b.isDisplayed()) {
                    b.click();
                    return true;
                }
            }
            return null;
        });
    }

    /** A cell's text, read in one step (the page may replace the row between two lookups); null while the row is absent. */
    private String cellOf(String token, String label) {
        return (String) browser.script("const c = document.querySelector(\"#tokens-table tr[data-token='\" + arguments[0]"
                + " + \"'] td[data-label='\" + arguments[1] + \"']\"); return c ? c.textContent : null;", token, label);
    }

    private static String bodyOf(String path) {
        try {
            return node.asElastic("GET", path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int authenticateWith(String value) throws Exception {
        return node.request("GET", "/_security/_authenticate", TestNode.bearer(value)).status();
    }

    private String createTokenInPage(String name) {
        browser.visible("token-name").sendKeys(name);
        browser.driver.findElement(By.id("token-create-submit")).click();
        return readValueDialog();
    }

    private String readValueDialog() {
        browser.visible("value-dialog");
        return browser.waitFor(d -> {
            String v = d.findElement(By.id("token-value")).getAttribute("value");
            return v == null || v.isEmpty() ? null : v;
        });
    }

    private void closeValueDialog() {
        browser.driver.findElement(By.id("value-close")).click();
        browser.waitFor(d -> !d.findElement(By.id("value-dialog")).isDisplayed());
    }

    @Test
    void aTokensWholeLifeFromThePages() throws Exception {
        signIn("elastic", TestNode.PASSWORD);
        open(TOKENS);
        browser.visible("token-create");

        String value = createTokenInPage("browser-1");
        assertThat(value).startsWith("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL2Jyb3dzZXItMT");
        assertThat(browser.driver.findElement(By.id("value-dialog")).getText()).contains("It cannot be shown again.");
        assertThat(browser.driver.findElement(By.id("value-copy")).isDisplayed()).isTrue();
        assertThat(authenticateWith(value)).isEqualTo(200);
        closeValueDialog();
        assertThat(browser.driver.findElement(By.id("token-value")).getAttribute("value")).isEmpty();
        browser.driver.navigate().refresh();
        tokenRow("browser-1");
        assertThat(browser.driver.getPageSource()).doesNotContain(value);
        assertThat(cellOf("browser-1", "Creator")).startsWith("elastic");
        assertThat(cellOf("browser-1", "Source")).isEqualTo("index");

        clickInRow("browser-1", "Disable");
        browser.waitFor(d -> "no".equals(cellOf("browser-1", "Enabled")));
        assertThat(authenticateWith(value)).isEqualTo(401);
        clickInRow("browser-1", "Enable");
        browser.waitFor(d -> "yes".equals(cellOf("browser-1", "Enabled")));
        assertThat(authenticateWith(value)).isEqualTo(200);

        clickInRow("browser-1", "Rotate");
        browser.visible("rotate-name").sendKeys("browser-2");
        browser.driver.findElement(By.id("rotate-ok")).click();
        String rotated = readValueDialog();
        assertThat(rotated).isNotEqualTo(value);
        assertThat(authenticateWith(rotated)).isEqualTo(200);
        assertThat(authenticateWith(value)).as("the old token's grace period").isEqualTo(200);
        closeValueDialog();

        clickInRow("browser-2", "Delete");
        assertThat(browser.textOf("confirm-text")).isEqualTo("Delete token elastic/fleet-server/browser-2?");
        browser.driver.findElement(By.id("confirm-ok")).click();
        browser.waitFor(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token='browser-2']")).isEmpty());
        browser.waitFor(d -> "Token elastic/fleet-server/browser-2 deleted.".equals(d.findElement(By.id("status")).getText()));
        assertThat(authenticateWith(rotated)).isEqualTo(401);

        clickInRow("browser-1", "Clear cache");
        browser.waitFor(d -> "Cache of token browser-1 cleared.".equals(d.findElement(By.id("status")).getText()));
    }

    @Test
    void theTokenFiltersAskTheLifecycleEndpoint() throws Exception {
        String path = "/_svctoken/service/elastic/fleet-server/credential/token/";
        assertThat(node.asElastic("POST", path + "soon", "{\"expiration\":\"10d\"}").status()).isEqualTo(200);
        assertThat(node.asElastic("POST", path + "forever").status()).isEqualTo(200);
        signIn("elastic", TestNode.PASSWORD);
        open(TOKENS);
        tokenRow("forever");
        browser.visible("expiring-within").sendKeys("30");
        browser.driver.findElement(By.id("filter-apply")).click();
        browser.waitFor(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token='forever']")).isEmpty());
        tokenRow("soon");
        browser.driver.findElement(By.id("filter-clear")).click();
        tokenRow("forever");
        browser.visible("unused-for").sendKeys("1");
        browser.driver.findElement(By.id("filter-apply")).click();
        // created just now: not unused for a day yet
        browser.waitFor(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token]")).isEmpty());
        assertThat(browser.driver.findElement(By.cssSelector("#tokens-table tbody")).getText()).isEqualTo("No token matches the filter.");
    }

    @Test
    void aUserManagedAccountIsCreatedEditedAndDeletedFromThePages() throws Exception {
        signIn("elastic", TestNode.PASSWORD);
        browser.click(By.id("account-new"));
        browser.visible("account-namespace").sendKeys("acme");
        browser.driver.findElement(By.id("account-service")).sendKeys("shipper");
        browser.driver.findElement(By.id("account-roles")).sendKeys("viewer");
        browser.driver.findElement(By.id("account-description")).sendKeys("log shipper");
        browser.driver.findElement(By.id("account-ok")).click();
        browser.waitFor(d -> "Service account acme/shipper saved.".equals(d.findElement(By.id("status")).getText()));
        assertThat(node.asElastic("GET", "/_security/service/acme/shipper").json().at("/acme~1shipper/roles/0").asText()).isEqualTo("viewer");
        browser.click(By.xpath("//tr[td[.='acme/shipper']]//button[.='Edit']"));
        browser.visible("account-roles").clear();
        browser.driver.findElement(By.id("account-roles")).sendKeys("viewer, editor");
        browser.driver.findElement(By.id("account-ok")).click();
        browser.waitFor(d -> bodyOf("/_security/service/acme/shipper").contains("editor"));
        browser.click(By.xpath("//tr[td[.='acme/shipper']]//button[.='Delete']"));
        assertThat(browser.textOf("confirm-text")).isEqualTo("Delete service account acme/shipper?");
        browser.driver.findElement(By.id("confirm-ok")).click();
        browser.waitFor(d -> "Service account acme/shipper deleted.".equals(d.findElement(By.id("status")).getText()));
        assertThat(node.asElastic("GET", "/_security/service/acme/shipper").body()).isEqualTo("{}");
    }

    @Test
    void anApiKeySignsInAndAnApiKeyIsInvalidatedAfterTheConfirmation() throws Exception {
        TestNode.Response key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"console-key\"}");
        assertThat(key.status()).isEqualTo(200);
        TestNode.Response victim = node.asElastic("POST", "/_security/api_key", "{\"name\":\"to-invalidate\"}");
        String victimId = victim.json().get("id").asText();
        browser.visible("method-apikey").click();
        browser.visible("api-key").sendKeys(key.json().get("encoded").asText());
        browser.driver.findElement(By.id("signin-submit")).click();
        browser.visible("nav");
        assertThat(browser.textOf("whoami")).isEqualTo("Signed in as elastic");
        open("/_svctoken/console/#/apikeys");
        browser.click(By.xpath("//tr[td[.='" + victimId + "']]//button[.='Invalidate']"));
        assertThat(browser.textOf("confirm-text")).isEqualTo("Invalidate API key to-invalidate (" + victimId + ")?");
        browser.driver.findElement(By.id("confirm-ok")).click();
        browser.waitFor(d -> ("API key " + victimId + " invalidated.").equals(d.findElement(By.id("status")).getText()));
        assertThat(node.asElastic("GET", "/_security/api_key?id=" + victimId).json().at("/api_keys/0/invalidated").asBoolean()).isTrue();
    }

    @Test
    void anApiErrorShowsItsReasonInTheAlertRegion() {
        signIn("elastic", TestNode.PASSWORD);
        open(TOKENS);
        browser.visible("token-name").sendKeys("bad name!");
        browser.driver.findElement(By.id("token-create-submit")).click();
        String alert = browser.textOf("alert");
        assertThat(browser.driver.findElement(By.id("alert")).getAttribute("role")).isEqualTo("alert");
        assertThat(alert).contains("invalid service token name [bad name!]");
    }

    @Test
    void aWrongPasswordShowsTheApisReason() {
        browser.visible("username").sendKeys("elastic");
        browser.driver.findElement(By.id("password")).sendKeys("wrong-password");
        browser.driver.findElement(By.id("signin-submit")).click();
        assertThat(browser.textOf("alert"))
                .isEqualTo("unable to authenticate user [elastic] for REST request [/_svctoken/console/session]");
    }

    @Test
    void aReadSecurityUserSeesTheListsButNoChangeButtons() throws Exception {
        node.putRole("console_reader", "{\"cluster\":[\"read_security\"]}");
        node.putUser("reader", "console_reader");
        assertThat(node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/for-reader").status()).isEqualTo(200);
        signIn("reader", "reader-password");
        browser.waitFor(d -> d.findElements(By.cssSelector("#accounts-table tbody tr")).size() > 3);
        assertThat(browser.driver.findElement(By.id("account-new")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("#accounts-table button"))).isEmpty();
        open(TOKENS);
        tokenRow("for-reader");
        assertThat(browser.driver.findElement(By.id("token-create")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElements(By.cssSelector("#tokens-table button"))).isEmpty();
        open("/_svctoken/console/#/apikeys");
        browser.visible("apikeys-table");
        assertThat(browser.driver.findElements(By.cssSelector("#apikeys-table button"))).isEmpty();
    }

    @Test
    void aForgedChangeWithoutTheCsrfHeaderIsRefused() throws Exception {
        signIn("elastic", TestNode.PASSWORD);
        open(TOKENS);
        browser.visible("token-create");
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.asyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/_svctoken/service/elastic/fleet-server/credential/token/forged', {method: 'POST', credentials: 'same-origin'})"
                        + ".then(r => r.json().then(j => done({status: r.status, reason: j.error.reason})))"
                        + ".catch(e => done({status: -1, reason: String(e)}));");
        assertThat(answer).containsEntry("status", 403L).containsEntry("reason", "missing or invalid CSRF token");
        assertThat(node.asElastic("GET", "/_svctoken/service/elastic/fleet-server/credential/token/forged").status()).isEqualTo(404);
    }

    @Test
    void keyboardOnlySignInAndTokenCreation() {
        Actions keys = new Actions(browser.driver);
        tabTo("username");
        keys.sendKeys("elastic").sendKeys(Keys.TAB).perform();
        assertThat(activeId()).isEqualTo("password");
        keys.sendKeys(TestNode.PASSWORD).sendKeys(Keys.ENTER).perform();
        browser.visible("nav");
        tabTo("nav-accounts");
        // from the accounts list to fleet-server's tokens, then the create form, by keyboard only
        browser.waitFor(d -> d.findElements(By.cssSelector("a[aria-label='Tokens of elastic/fleet-server']")).size() == 1);
        tabUntil(() -> "Tokens of elastic/fleet-server".equals(browser.driver.switchTo().activeElement().getAttribute("aria-label")));
        keys.sendKeys(Keys.ENTER).perform();
        browser.visible("token-create");
        tabTo("token-name");
        keys.sendKeys("keyboard-1").sendKeys(Keys.ENTER).perform();
        String value = readValueDialog();
        assertThat(value).isNotEmpty();
        assertThat(activeId()).isEqualTo("value-copy");
        keys.sendKeys(Keys.ESCAPE).perform();
        browser.waitFor(d -> !d.findElement(By.id("value-dialog")).isDisplayed());
        assertThat(activeId()).as("the focus returns to where the dialog was opened from").isEqualTo("token-name");
        tokenRow("keyboard-1");
    }

    private String activeId() {
        return browser.driver.switchTo().activeElement().getAttribute("id");
    }

    private void tabTo(String id) {
        tabUntil(() -> id.equals(activeId()));
    }

    private void tabUntil(java.util.function.BooleanSupplier focused) {
        for (int i = 0; i < 80 && !focused.getAsBoolean(); i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        }
        assertThat(focused.getAsBoolean()).as("reached by TAB").isTrue();
    }

    @Test
    void at200PercentZoomTheTokenTableKeepsItsActionButtonsInView() throws Exception {
        assertThat(node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/zoomed").status()).isEqualTo(200);
        signIn("elastic", TestNode.PASSWORD);
        // a 1280x960 window at 200 % zoom lays out as 640x480 CSS pixels
        browser.driver.manage().window().setSize(new Dimension(640, 480));
        open(TOKENS);
        WebElement row = tokenRow("zoomed");
        long viewport = ((Number) browser.script("return document.documentElement.clientWidth;")).longValue();
        assertThat((Boolean) browser.script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth;"))
                .as("no horizontal scrolling of the page").isTrue();
        List<WebElement> buttons = row.findElements(By.tagName("button"));
        assertThat(buttons).extracting(WebElement::getText).contains("Disable", "Rotate", "Delete", "Clear cache");
        for (WebElement b : buttons) {
            Number right = (Number) browser.script("return arguments[0].getBoundingClientRect().right;", b);
            assertThat(right.doubleValue()).as(b.getText()).isLessThanOrEqualTo(viewport);
        }
    }

    /**
     * The first paint of the token list after a fresh navigation (signed in), from the Navigation Timing API and the
     * page's mark; printed for the report, never asserted (the machine's load varies).
     */
    @Test
    void firstPaintOfTheTokenListIsMeasured() {
        signIn("elastic", TestNode.PASSWORD);
        open("/_svctoken/console/#/accounts");
        browser.visible("accounts-table");
        open("/_svctoken/console/index.html#/tokens/elastic/fleet-server");
        Number rendered = browser.waitFor(d -> (Number) browser.script(
                "const m = performance.getEntriesByName('svctoken-tokens-rendered'); return m.length ? m[0].startTime : null;"));
        Number domContentLoaded = (Number) browser.script(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;");
        String requests = (String) browser.script("return performance.getEntriesByType('resource').map(r => r.name.replace(location.origin, '')"
                + " + ' ' + Math.round(r.startTime) + '-' + Math.round(r.responseEnd) + ' ms').join(', ');");
        System.out.printf("console timing: DOMContentLoaded %.0f ms, token list rendered %.0f ms after navigation start; requests: %s%n",
                domContentLoaded.doubleValue(), rendered.doubleValue(), requests);
        assertThat(rendered.doubleValue()).isPositive();
    }

    /** The main pages as PNGs: into docs/console with {@code -Dconsole.screenshots=../docs/console}, else under target. */
    @Test
    void screenshotsOfTheMainPages() throws Exception {
        Path dir = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        Files.createDirectories(dir);
        browser.driver.manage().window().setSize(new Dimension(1100, 720));
        browser.driver.navigate().refresh();
        browser.visible("signin-form");
        shot(dir, "sign-in");
        signIn("elastic", TestNode.PASSWORD);
        browser.waitFor(d -> d.findElements(By.cssSelector("#accounts-table tbody tr")).size() > 3);
        shot(dir, "accounts");
        node.asElastic("POST", "/_svctoken/service/elastic/fleet-server/credential/token/fleet-2027", "{\"expiration\":\"90d\"}");
        open(TOKENS);
        tokenRow("fleet-2027");
        createTokenInPage("fleet-2028");
        shot(dir, "tokens-new-value");
        closeValueDialog();
        node.asElastic("POST", "/_security/api_key", "{\"name\":\"ingest-pipeline\"}");
        open("/_svctoken/console/#/apikeys");
        browser.waitFor(d -> d.findElements(By.cssSelector("#apikeys-table tbody tr td[data-label='Name']")).size() > 0);
        shot(dir, "api-keys");
        open("/_svctoken/console/#/nodes");
        browser.waitFor(d -> d.findElements(By.cssSelector("#nodes-table tbody tr td[data-label='Name']")).size() > 0);
        shot(dir, "nodes");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).toList()).hasSize(5)
                    .allSatisfy(f -> assertThat(Files.size(f)).isLessThan(200 * 1024));
        }
    }

    private static void shot(Path dir, String name) throws Exception {
        Files.write(dir.resolve(name + ".png"), browser.driver.getScreenshotAs(OutputType.BYTES));
    }
}
