package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.RawH2;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TrustAll;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on a real gateway, over HTTP as a browser would reach it: who may see it, the session cookie's
 * flags and lifetime, sign-out, the security headers, the assets' types and validators, and paths that must not
 * reach a file. Data-call numbers are checked in {@link DashboardDataTest} and, in a browser, {@link DashboardBrowserTest}.
 */
class DashboardHttpTest {
    static final String WRITER = "dash-write-key-0123456789";
    static final String READER = "dash-read-key-0123456789";

    @TempDir
    static Path data;
    private static SluiceHarness h;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // no redirects

    @BeforeAll
    static void start() {
        h = SluiceHarness.start(SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + WRITER + ", role: write, name: ops}, {value: "
                + READER + ", role: read, name: viewer}]}\nstore: {data-dir: \"" + data + "\"}\n");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void thePageNeedsASignInAndAReadKeyIsEnough() {
        HttpResponse<String> page = get("/admin/dashboard/", null);
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("location")).hasValue("/admin/dashboard/signin");
        assertSecured(page);

        HttpResponse<String> form = get("/admin/dashboard/signin", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(form.headers().firstValue("cache-control")).hasValue("no-store");
        assertThat(form.body()).contains("action=\"/admin/dashboard/signin\"").doesNotContain("<script>");
        assertSecured(form);

        HttpResponse<String> wrong = signIn("key=not-an-admin-key", null);
        assertThat(wrong.statusCode()).isEqualTo(303);
        assertThat(wrong.headers().firstValue("location")).hasValue("/admin/dashboard/signin?error=invalid");
        assertThat(wrong.headers().allValues("set-cookie")).isEmpty();
        assertThat(signIn("key=" + h.gatewayPort(), null).headers().allValues("set-cookie")).isEmpty();
        assertThat(signIn("nokey=" + READER, null).headers().allValues("set-cookie")).isEmpty();

        HttpResponse<String> ok = signIn("key=" + READER, null);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("location")).hasValue("/admin/dashboard/");
        String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).matches("sluice_dashboard=[A-Za-z0-9_-]{43}; Path=/admin/dashboard; Max-Age=28800; HttpOnly; SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> signedIn = get("/admin/dashboard/", cookie);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).contains("<script src=\"/admin/dashboard/assets/dashboard.js\" defer></script>");
        assertThat(get("/admin/dashboard", cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> summary = get("/admin/dashboard/api/summary?period=today", cookie);
        assertThat(summary.statusCode()).as(summary.body()).isEqualTo(200);
        assertThat(summary.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(summary.headers().firstValue("cache-control")).hasValue("no-store");
        assertSecured(summary);
        assertThat(json(summary).at("/period/name").asText()).isEqualTo("today");

        // The cookie is the dashboard's only: the admin API still wants its bearer key.
        assertThat(get("/admin/orgs", cookie).statusCode()).isEqualTo(401);

        HttpResponse<String> out = post("/admin/dashboard/signout", "", cookie, null);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("location")).hasValue("/admin/dashboard/signin");
        assertThat(out.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("sluice_dashboard=; ").contains("Max-Age=0"));
        assertThat(get("/admin/dashboard/", cookie).statusCode()).as("a signed-out cookie opens nothing").isEqualTo(303);
        assertThat(get("/admin/dashboard/api/summary", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void dataCallsWantTheCookieOrAnAdminKey() {
        HttpResponse<String> none = get("/admin/dashboard/api/summary", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(json(none).at("/error/message").asText()).startsWith("sign in at /admin/dashboard/signin");
        assertThat(call("/admin/dashboard/api/summary", "Bearer wrong-key").statusCode()).isEqualTo(401);
        assertThat(get("/admin/dashboard/api/summary", "sluice_dashboard=" + "A".repeat(43)).statusCode()).isEqualTo(401);
        assertThat(call("/admin/dashboard/api/summary", "Bearer " + READER).statusCode()).isEqualTo(200);
        assertThat(call("/admin/dashboard/api/budgets", "Bearer " + WRITER).statusCode()).isEqualTo(200);

        HttpResponse<String> bad = call("/admin/dashboard/api/requests?limit=5000", "Bearer " + READER);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(json(bad).at("/error/message").asText()).startsWith("query parameter limit: \"5000\"");
        assertThat(json(bad).get("request_id").asText()).isNotBlank();
        assertThat(call("/admin/dashboard/api/summary?period=10y", "Bearer " + READER).statusCode()).isEqualTo(400);
        assertThat(call("/admin/dashboard/api/nothing", "Bearer " + READER).statusCode()).isEqualTo(404);
        HttpResponse<String> posted = post("/admin/dashboard/api/summary", "", null, "Bearer " + READER);
        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void assetsHaveTheirTypesAndNoPathReachesAnotherFile() {
        HttpResponse<String> js = get("/admin/dashboard/assets/dashboard.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("cache-control")).hasValue("no-cache");
        assertSecured(js);
        String etag = js.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/admin/dashboard/assets/dashboard.js")).header("if-none-match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get("/admin/dashboard/assets/dashboard.css", null).headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/admin/dashboard/assets/signin.js", null).statusCode()).isEqualTo(200);

        for (String path : List.of("/admin/dashboard/assets/index.html", "/admin/dashboard/assets/../index.html",
                "/admin/dashboard/assets/..%2Findex.html", "/admin/dashboard/assets/%2e%2e/%2e%2e/sluice.db",
                "/admin/dashboard/assets/dashboard/dashboard.js", "/admin/dashboard/assets/", "/admin/dashboard/assets/logback.xml",
                "/admin/dashboard/assets/..%5c..%5cpom.xml", "/admin/dashboard/index.html", "/admin/dashboard/assets/Dashboard.class")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("<html").doesNotContain("\"use strict\"");
        }
    }

    @Test
    void formsFromAnotherSiteAreRefused() {
        HttpResponse<String> crossSite = signIn("key=" + READER, "cross-site");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.headers().allValues("set-cookie")).isEmpty();
        HttpResponse<String> otherOrigin = send(HttpRequest.newBuilder(uri("/admin/dashboard/signin"))
                .header("content-type", "application/x-www-form-urlencoded").header("origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + READER)));
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(uri("/admin/dashboard/signin"))
                .header("content-type", "application/x-www-form-urlencoded").header("origin", "http://127.0.0.1:" + h.gatewayPort())
                .header("sec-fetch-site", "same-origin").POST(HttpRequest.BodyPublishers.ofString("key=" + READER)));
        assertThat(sameOrigin.statusCode()).isEqualTo(303);
        assertThat(sameOrigin.headers().firstValue("set-cookie")).isPresent();
        HttpResponse<String> huge = signIn("key=" + "x".repeat(5000), null);
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void offWithoutAdminKeysAndBehindTls() throws Exception {
        try (SluiceHarness off = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data.resolve("off") + "\"}\n")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(off.gatewayUrl() + "/admin/dashboard/")));
            assertThat(r.statusCode()).isEqualTo(404);
        }
        String yaml = SluiceHarness.BASE_YAML.replace("server:\n", "server:\n  tls: {self-signed: true}\n")
                + "admin: {keys: [{value: " + READER + ", role: read}]}\nstore: {data-dir: \"" + data.resolve("tls") + "\"}\n";
        try (SluiceHarness tls = SluiceHarness.start(yaml); HttpClient trusting = TrustAll.client()) {
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create(tls.gatewayUrl() + "/admin/dashboard/signin"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("key=" + READER)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(tls.gatewayUrl()).startsWith("https://");
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("set-cookie")).hasValueSatisfying(c -> assertThat(c).endsWith("; HttpOnly; SameSite=Strict; Secure"));
            assertThat(r.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
            // Over HTTP/2 the host is :authority: a same-origin form from a browser without Sec-Fetch-Site still signs in.
            RawH2.Frame same = h2SignIn(tls, "https://localhost"); // RawH2's :authority is localhost
            assertThat(same.headers().status().toString()).isEqualTo("303");
            assertThat(same.headers().get("set-cookie").toString()).startsWith("sluice_dashboard=");
            assertThat(h2SignIn(tls, "https://evil.example").headers().status().toString()).isEqualTo("403");
        }
    }

    /** The head of a sign-in form posted over HTTP/2 with {@code origin} and no Sec-Fetch-Site. */
    private static RawH2.Frame h2SignIn(SluiceHarness tls, String origin) throws Exception {
        try (RawH2 h2 = RawH2.connect(tls.gatewayPort())) {
            int stream = h2.headers("POST", "/admin/dashboard/signin", Map.of("origin", origin,
                    "content-type", "application/x-www-form-urlencoded"));
            h2.data(stream, ("key=" + READER).getBytes(java.nio.charset.StandardCharsets.US_ASCII), true);
            RawH2.Frame head;
            do {
                head = h2.read(10_000);
            } while (head != null && !(head.type() == RawH2.HEADERS && head.stream() == stream));
            assertThat(head).as("an answer to the form").isNotNull();
            return head;
        }
    }

    @Test
    void onTheAdminListenerOnlyWhenOneIsSet() {
        String yaml = SluiceHarness.BASE_YAML + "admin: {listen: \"127.0.0.1:0\", keys: [{value: " + READER + ", role: read}]}\n"
                + "store: {data-dir: \"" + data.resolve("listen") + "\"}\n";
        try (SluiceHarness own = SluiceHarness.start(yaml)) {
            String adminBase = "http://127.0.0.1:" + own.gateway().adminPort();
            assertThat(send(HttpRequest.newBuilder(URI.create(own.gatewayUrl() + "/admin/dashboard/signin"))).statusCode()).isEqualTo(404);
            HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(adminBase + "/admin/dashboard/signin")));
            assertThat(form.statusCode()).isEqualTo(200);
            assertSecured(form);
            HttpResponse<String> data = send(HttpRequest.newBuilder(URI.create(adminBase + "/admin/dashboard/api/requests"))
                    .header("authorization", "Bearer " + READER));
            assertThat(data.statusCode()).as(data.body()).isEqualTo(200);
        }
    }

    private static void assertSecured(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
                .startsWith("default-src 'self'; script-src 'self'; style-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval"));
        assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(r.headers().firstValue("referrer-policy")).hasValue("same-origin");
    }

    private static HttpResponse<String> signIn(String form, String secFetchSite) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/admin/dashboard/signin"))
                .header("content-type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (secFetchSite != null) {
            b.header("sec-fetch-site", secFetchSite);
        }
        return send(b);
    }

    private static HttpResponse<String> get(String path, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (cookie != null) {
            b.header("cookie", cookie);
        }
        return send(b);
    }

    private static HttpResponse<String> call(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).header("authorization", authorization));
    }

    private static HttpResponse<String> post(String path, String body, String cookie, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            b.header("cookie", cookie);
        }
        if (authorization != null) {
            b.header("authorization", authorization);
        }
        return send(b);
    }

    private static URI uri(String path) {
        return URI.create(h.gatewayUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
