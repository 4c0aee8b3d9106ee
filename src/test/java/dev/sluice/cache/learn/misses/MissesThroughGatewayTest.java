package dev.sluice.cache.learn.misses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.CliRun;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /admin/cache/misses} and {@code sluice cache misses} over a real gateway's capture and ledger. */
class MissesThroughGatewayTest {
    private static final String ADMIN = "admin-misses-test-key";

    @TempDir
    static Path data;
    static SluiceHarness gw;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        gw = SluiceHarness.start(SluiceHarness.BASE_YAML + "admin: {keys: [{value: " + ADMIN + ", role: write}]}\n"
                + "store: {data-dir: \"" + data + "\"}\ncache: {capture: {enabled: true}}\n");
        assertThat(post("first line\nsecond line").statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (gw.gateway().cache().counts().stored() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(post("first line\r\nsecond line").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void theAdminApiNamesTheLineEndingMissWithItsCost() throws Exception {
        JsonNode report = Json.MAPPER.readTree(admin("/admin/cache/misses?since=1d&limit=10").body());
        assertThat(report.path("misses").asLong()).isEqualTo(2);
        JsonNode ws = null;
        for (JsonNode p : report.path("patterns")) {
            if (p.path("pattern").asText().equals("whitespace-only")) {
                ws = p;
            }
        }
        assertThat(ws).as(report.toPrettyString()).isNotNull();
        assertThat(ws.path("count").asLong()).isEqualTo(1);
        assertThat(ws.path("usd").decimalValue()).isPositive();
        assertThat(report.path("requests_missed")).hasSize(2);
        assertThat(report.path("requests_missed").get(0).path("nearest").asText())
                .isEqualTo(report.path("requests_missed").get(1).path("request_id").asText());
    }

    @Test
    void theAdminApiGivesPromptCacheAdviceFromTheSameCapture() throws Exception {
        HttpResponse<String> r = admin("/admin/cache/advice?since=1d&top=5");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode advice = Json.MAPPER.readTree(r.body());
        assertThat(advice.path("upstream_requests").asLong()).isEqualTo(2);
        assertThat(advice.path("one_hour_ttl").isArray()).isTrue();
        assertThat(advice.path("breakpoints").isArray()).isTrue();
        assertThat(admin("/admin/cache/advice?top=0").statusCode()).isEqualTo(400);
    }

    @Test
    void callerValuesAreBounded() throws Exception {
        assertThat(admin("/admin/cache/misses?since=400d").statusCode()).isEqualTo(400);
        assertThat(admin("/admin/cache/misses?since=7d&limit=5000").statusCode()).isEqualTo(400);
        assertThat(admin("/admin/cache/misses?since=7d&limit=5000").body()).contains("limit").contains("0 to 1000");
        assertThat(admin("/admin/cache/misses?what=1").statusCode()).isEqualTo(400);
    }

    @Test
    void theCliPrintsATableFromTheGatewayAndFromTheCaptureFile() {
        CliRun online = CliRun.of("cache", "misses", "--url", gw.gatewayUrl(), "--admin-key", ADMIN, "--since", "1d");
        assertThat(online.code()).isZero();
        assertThat(online.out()).contains("PATTERN").contains("whitespace-only").contains("2 misses");

        gw.gateway().cache().shapes().log().drain();
        CliRun offline = CliRun.of("cache", "misses", "--capture", data.resolve("cache-capture").toString(), "--format", "json");
        assertThat(offline.code()).isZero();
        assertThat(offline.out()).contains("\"whitespace-only\"").contains("\"costs_from\" : \"capture\"");

        CliRun wrong = CliRun.of("cache", "misses", "--capture", data.toString(), "--format", "xml");
        assertThat(wrong.code()).isNotZero();
        assertThat(wrong.err()).contains("--format: 'xml'");
    }

    private static HttpResponse<String> admin(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gw.gatewayUrl() + path)).header("authorization", "Bearer " + ADMIN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String text) throws Exception {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}]}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(gw.gatewayUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
