package dev.sluice.cache.learn.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capture through the real gateway over {@code sluice sim}: what each line holds, and what it never holds. */
class CaptureThroughGatewayTest {
    private static final String SECRET_TEXT = "what does refresh_session in /home/alice/src/app/auth.py do";

    @TempDir
    static Path data;
    static SluiceHarness gw;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gw = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data + "\"}\n"
                + "cache: {capture: {enabled: true}}\n");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void eachRequestLeavesOneLineOfDigestsWithOutcomeTokensAndCost() throws Exception {
        String ask = body(SECRET_TEXT, true);
        HttpResponse<String> first = post(ask);
        awaitStored();
        HttpResponse<String> second = post(ask);
        HttpResponse<String> crlf = post(body(SECRET_TEXT + " \r\nplease", true));
        HttpResponse<String> noStore = post(body("a question never kept", false), "cache-control", "no-store");
        assertThat(List.of(first, second, crlf, noStore)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(second.headers().firstValue("x-sluice-cache")).contains("hit");

        List<Shape> shapes = awaitShapes(4);
        Shape miss = shapes.get(0);
        Shape hit = shapes.get(1);
        assertThat(miss.outcome()).isEqualTo("miss");
        assertThat(miss.stored()).isTrue();
        assertThat(miss.costNanoUsd()).isPositive();
        assertThat(miss.valueNanoUsd()).isEqualTo(miss.costNanoUsd());
        assertThat(miss.inputTokens()).isPositive();
        assertThat(miss.answer()).isNotNull();
        assertThat(miss.key()).hasSize(16);
        assertThat(miss.scope()).isEqualTo("org");
        assertThat(miss.model()).isEqualTo(SluiceHarness.MODEL);

        assertThat(hit.outcome()).isEqualTo("hit");
        assertThat(hit.costNanoUsd()).isZero();
        assertThat(hit.valueNanoUsd()).as("a hit's value is what it saved").isPositive();
        assertThat(hit.key()).isEqualTo(miss.key());
        assertThat(hit.parts()).isEqualTo(miss.parts());
        assertThat(hit.answer()).as("the replayed answer is the stored one").isEqualTo(miss.answer());

        Shape ws = shapes.get(2);
        assertThat(ws.outcome()).isEqualTo("miss");
        assertThat(ws.parts().newest()).isNotEqualTo(miss.parts().newest());
        assertThat(ws.parts().system()).isEqualTo(miss.parts().system());

        Shape kept = shapes.get(3);
        assertThat(kept.stream()).isFalse();
        assertThat(kept.stored()).as("no-store: no capture, so no store outcome").isNull();
        assertThat(kept.answer()).isNotNull();

        String file = Files.readString(data.resolve("cache-capture").resolve(CaptureLog.CURRENT));
        assertThat(file).doesNotContain("refresh_session").doesNotContain("alice").doesNotContain("never kept");
        assertThat(shapes).allSatisfy(s -> assertThat(s.text()).isNull());
    }

    private static List<Shape> awaitShapes(int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Path dir = data.resolve("cache-capture");
        while (System.nanoTime() < deadline) {
            gw.gateway().cache().shapes().log().drain();
            if (Files.exists(dir.resolve(CaptureLog.CURRENT))) {
                List<Shape> shapes = CaptureFiles.read(dir, 0, 100).shapes();
                if (shapes.size() >= n) {
                    return shapes;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + n + " capture lines in " + dir);
    }

    private static void awaitStored() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (gw.gateway().cache().counts().stored() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String body(String text, boolean stream) {
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"system\":[{\"type\":\"text\",\"text\":\"You are a coding agent.\",\"cache_control\":{\"type\":\"ephemeral\"}}]"
                + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}]}";
    }

    private static HttpResponse<String> post(String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.gatewayUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
