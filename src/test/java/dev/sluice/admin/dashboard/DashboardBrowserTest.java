package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Await;
import dev.sluice.testing.SluiceHarness;
import java.io.File;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven through its own chromedriver: nothing is
 * downloaded): real traffic through a gateway against the simulated upstream, a sign-in through the page, then the
 * numbers on the page against the ledger read with plain SQL (cost to the nano-dollar in {@code data-usd}, the
 * visible amount to the cent, request counts), the recent requests and their attempts, and a model named as an HTML
 * tag shown as text. Under CI ({@code CI} set, where {@code .ci/run} installs chromium) a missing browser fails the
 * test; elsewhere it is skipped.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ADMIN = "browser-admin-key-0123456789";
    private static final String READER = "browser-read-key-0123456789";
    /** The gateway refuses spaces in a model name; HTML takes '/' between attributes, so this is still a live tag. */
    private static final String XSS_MODEL = "<img/src=\"x\"/onerror=\"alert(1)\">";
    /** A request tag's value may hold anything printable, spaces too. */
    private static final String XSS_TAG = "<svg onload=alert(2)>";

    @TempDir
    Path data;

    @Test
    void thePageShowsTheLedgerAndRendersCallerTextAsText() throws Exception {
        if (System.getenv("CI") != null) {
            assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                    .as("chromium and chromedriver must be installed under CI (apt-get install chromium chromium-driver)").isTrue();
        }
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "chromium not installed (apt-get install chromium chromium-driver)");
        String yaml = SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + ADMIN + ", role: write}, {value: " + READER
                + ", role: read}]}\nstore: {data-dir: \"" + data + "\"}\n"
                + "budgets:\n  list:\n    - {name: payments, level: team, id: payments, usd: 10, period: monthly,\n"
                + "       thresholds: [{at: 80, action: alert}, {at: 100, action: block}]}\n"
                + "    - {name: each-dev, level: user, id: \"*\", usd: 5}\n";
        try (SluiceHarness h = SluiceHarness.start(yaml); HttpClient http = HttpClient.newHttpClient()) {
            WebDriver browser = browser();
            try {
                browser.get(h.gatewayUrl() + "/admin/dashboard/");
                assertThat(browser.getCurrentUrl()).endsWith("/admin/dashboard/signin");
                browser.findElement(By.id("key")).sendKeys(READER);
                browser.findElement(By.id("signin")).click();
                loaded(browser, "7d");
                // A fresh install: the friendly empty state, and nothing broken.
                assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("total-cost")).getText()).isEqualTo("$0.00");
                assertThat(browser.findElement(By.id("requests")).getText()).contains("No requests in this period.");

                String key = issueKey(http, h.gatewayUrl());
                List<String> ids = new ArrayList<>();
                for (String model : List.of(SluiceHarness.MODEL, SluiceHarness.MODEL, XSS_MODEL, SluiceHarness.MODEL)) {
                    ids.add(send(http, h.gatewayUrl(), key, model, model.equals(XSS_MODEL) ? XSS_TAG : "checkout"));
                }
                Ledger truth = Await.until(Duration.ofSeconds(20), () -> ledger(ids), () -> "all requests in the ledger");
                browser.navigate().refresh();
                loaded(browser, "7d");

                WebElement cost = browser.findElement(By.id("total-cost"));
                assertThat(new BigDecimal(cost.getDomAttribute("data-usd"))).isEqualByComparingTo(truth.total);
                assertThat(cost.getText()).isEqualTo(shown(truth.total));
                assertThat(browser.findElement(By.id("total-requests")).getText()).isEqualTo(Integer.toString(ids.size()));
                assertThat(browser.findElement(By.id("empty")).isDisplayed()).isFalse();

                List<WebElement> budgets = browser.findElements(By.cssSelector("#budgets tbody tr"));
                assertThat(budgets).hasSize(2);
                assertThat(budgets.get(0).getText()).startsWith("payments team payments monthly")
                        .contains(shown(truth.total) + " / $10.00").contains("80% alert, 100% block").endsWith("block");
                assertThat(budgets.get(1).getText()).contains("each-dev").contains("per member: $5.00 each");

                Map<String, String> shownCost = new HashMap<>();
                Map<String, String> shownModel = new HashMap<>();
                for (WebElement row : browser.findElements(By.cssSelector("#requests tbody tr[data-request-id]"))) {
                    String id = row.getDomAttribute("data-request-id");
                    shownCost.put(id, row.findElement(By.cssSelector("td.cost")).getDomAttribute("data-usd"));
                    shownModel.put(id, row.findElement(By.cssSelector("td.model")).getText());
                }
                assertThat(shownCost.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                ids.forEach(id -> assertThat(new BigDecimal(shownCost.get(id))).as(id).isEqualByComparingTo(truth.perRequest.get(id)));

                // The model named as an HTML tag: its characters on the page, no element made of it, no script run.
                assertThat(shownModel.get(ids.get(2))).isEqualTo(XSS_MODEL);
                assertThat(browser.findElement(By.id("breakdown")).getText()).contains(XSS_MODEL);
                assertNoInjection(browser);

                browser.findElement(By.cssSelector("#by option[value='tag']")).click();
                browser.findElement(By.id("tag")).sendKeys("feature");
                browser.findElement(By.cssSelector("#breakdown-form button")).click();
                Await.until(Duration.ofSeconds(10), () -> browser.findElement(By.id("breakdown-dim")).getText().equals("tag:feature")
                        ? true : null, () -> "the breakdown by tag");
                assertThat(browser.findElement(By.id("breakdown")).getText()).contains(XSS_TAG).contains("checkout");
                assertNoInjection(browser);

                browser.findElement(By.cssSelector("#requests tr[data-request-id='" + ids.get(2) + "'] a")).click();
                Await.until(Duration.ofSeconds(10), () -> browser.findElement(By.id("request-detail")).isDisplayed() ? true : null,
                        () -> "the request's attempts shown");
                List<WebElement> attempts = browser.findElements(By.cssSelector("#attempts tbody tr"));
                assertThat(attempts).hasSize(1);
                assertThat(attempts.getFirst().getText()).contains(XSS_MODEL);
                assertNoInjection(browser);

                browser.findElement(By.cssSelector("#periods button[data-period='today']")).click();
                loaded(browser, "today");
                assertThat(browser.findElement(By.id("total-requests")).getText()).isEqualTo(Integer.toString(ids.size()));
                assertThat(browser.findElements(By.cssSelector("#chart rect.bar")).size()).isPositive();

                List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                        .map(LogEntry::getMessage).filter(m -> !m.contains("favicon.ico")).toList();
                assertThat(problems).as("the browser's console (CSP refusals, script errors)").isEmpty();

                browser.findElement(By.id("signout")).click();
                Await.until(Duration.ofSeconds(10), () -> browser.getCurrentUrl().endsWith("/signin") ? true : null, browser::getCurrentUrl);
                browser.get(h.gatewayUrl() + "/admin/dashboard/");
                assertThat(browser.getCurrentUrl()).as("signed out: back to the form").endsWith("/admin/dashboard/signin");
            } finally {
                browser.quit();
            }
        }
    }

    private static void assertNoInjection(WebDriver browser) {
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        Object injected = ((JavascriptExecutor) browser).executeScript("return document.querySelectorAll('img, [onerror], [onload]').length");
        assertThat(((Number) injected).intValue()).isZero();
    }

    /** Waits until every section of the page has loaded for {@code period} (the page marks the body). */
    private static void loaded(WebDriver browser, String period) {
        Await.until(Duration.ofSeconds(15), () -> period.equals(loadedMark(browser)) ? true : null,
                () -> "the page loaded for " + period + " (at " + browser.getCurrentUrl() + ")");
        assertThat(browser.findElement(By.id("load-error")).isDisplayed()).as(browser.findElement(By.id("load-error")).getText()).isFalse();
    }

    /**
     * The body's load mark, or null while the browser is between documents (after the sign-in form's redirect the old
     * document can be gone before the new one has a body: a CI run once found no body there).
     */
    private static String loadedMark(WebDriver browser) {
        try {
            return browser.findElement(By.tagName("body")).getDomAttribute("data-loaded");
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return null;
        }
    }

    /** The page's rounding: cents from a dollar up, four decimals below. */
    private static String shown(BigDecimal usd) {
        if (usd.signum() == 0) {
            return "$0.00";
        }
        return usd.compareTo(BigDecimal.ONE) >= 0 ? "$" + String.format("%,.2f", usd)
                : usd.compareTo(new BigDecimal("0.0001")) >= 0 ? "$" + usd.setScale(4, RoundingMode.HALF_UP).toPlainString() : "<$0.0001";
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The ledger's own sums for these requests, by plain SQL (not the report code the page uses), once all are in. */
    private record Ledger(BigDecimal total, Map<String, BigDecimal> perRequest) {
    }

    private Ledger ledger(List<String> ids) {
        try (Database db = Database.open(StoreSettings.sqlite(data)); Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT request_id, SUM(cost_nano_usd) FROM ledger GROUP BY request_id");
             ResultSet rs = ps.executeQuery()) {
            Map<String, BigDecimal> per = new HashMap<>();
            BigDecimal total = BigDecimal.ZERO;
            while (rs.next()) {
                BigDecimal usd = BigDecimal.valueOf(rs.getLong(2), 9);
                per.put(rs.getString(1), usd);
                total = total.add(usd);
            }
            return per.keySet().containsAll(ids) && per.size() == ids.size() && total.signum() > 0 ? new Ledger(total, per) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String issueKey(HttpClient http, String base) throws Exception {
        admin(http, base, "/admin/orgs", "{\"id\":\"acme\"}");
        admin(http, base, "/admin/teams", "{\"id\":\"payments\",\"org_id\":\"acme\"}");
        admin(http, base, "/admin/users", "{\"id\":\"ana\",\"team_id\":\"payments\"}");
        String issued = admin(http, base, "/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"laptop\"}");
        return dev.sluice.wire.Json.MAPPER.readTree(issued).get("key").asText();
    }

    private static String admin(HttpClient http, String base, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
        return r.body();
    }

    private static String send(HttpClient http, String base, String key, String model, String feature) throws Exception {
        String body = "{\"model\":" + dev.sluice.wire.Json.MAPPER.writeValueAsString(model)
                + ",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the dashboard\"}]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages")).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .header("x-sluice-tag-feature", feature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(200);
        return r.headers().firstValue("x-sluice-request-id").orElseThrow();
    }
}
