package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an attacker or a broken client can send, and what the gateway does with it: values that would
 * become headers or records are checked before anything is forwarded; declared sizes are never
 * trusted; idle and slow connections are closed; every refusal is an envelope with a request id.
 */
class HardeningTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              header-timeout: 400ms
              idle-timeout: 600ms
              body-timeout: 800ms
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """);

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void controlCharactersInTheModelAreRefusedBeforeAnythingIsForwarded() {
        for (String model : List.of("claude\\u0000x", "claude\\u007fx", "claude\\nx", "")) {
            HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body(model));
            assertThat(resp.statusCode()).as(model).isEqualTo(400);
            ErrorPathsTest.assertEnvelope(resp, "invalid_request_error");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anOverlongModelNameIsRefusedWithASmallAnswer() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body("m".repeat(5 * 1024 * 1024)));
        assertThat(resp.statusCode()).isEqualTo(400);
        assertThat(resp.body().length()).isLessThan(1024);
        assertThat(resp.headers().map().toString().length()).isLessThan(2048);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void tooManyOrTooLongRequestTagsAreRefused() {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            headers.add("x-sluice-tag-t" + i);
            headers.add("v");
        }
        HttpResponse<String> many = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body("claude-sonnet-4-5"),
                headers.toArray(String[]::new));
        assertThat(many.statusCode()).isEqualTo(400);
        HttpResponse<String> longValue = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body("claude-sonnet-4-5"),
                "x-sluice-tag-repo", "r".repeat(300));
        assertThat(longValue.statusCode()).isEqualTo(400);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aDeclaredLengthIsNeverAllocatedBeforeTheBytesArrive() throws Exception {
        List<RawHttp> liars = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                RawHttp raw = RawHttp.connect(SLUICE.gatewayPort());
                raw.head("POST", "/v1/messages", "content-length", Integer.toString(32 * 1024 * 1024 - 1));
                raw.write("{".getBytes(UTF_8));
                liars.add(raw);
            }
            // Forty 32 MB promises, one byte each: the gateway holds forty first allocations of at most 128 KB (what the
            // budget counts since attack round 14: the arrays, not the bytes in them), not 1.3 GB.
            Thread.sleep(200);
            assertThat(metric("sluice_request_body_bytes")).isLessThanOrEqualTo(40 * 128 * 1024);
            // The body timeout answers each of them (408) and closes the connection.
            for (RawHttp raw : liars) {
                assertThat(raw.readHead()).isEqualTo(408);
                assertThat(Http.json(raw.readBodyText()).path("request_id").asText()).startsWith("req_");
            }
        } finally {
            for (RawHttp raw : liars) {
                raw.close();
            }
        }
        assertThat(metric("sluice_request_body_bytes")).isZero();
    }

    @Test
    void idleAndSlowHeaderConnectionsAreClosedAndCounted() throws Exception {
        double idleBefore = metric("sluice_connections_closed_total{reason=\"idle\"}");
        double slowBefore = metric("sluice_connections_closed_total{reason=\"header_timeout\"}");
        try (RawHttp idle = RawHttp.connect(SLUICE.gatewayPort());
             RawHttp slow = RawHttp.connect(SLUICE.gatewayPort())) {
            slow.write("POST /v1/messages HTTP/1.1\r\nhost: x\r\n".getBytes(ISO_8859_1));
            assertThat(slow.closedWithin(3_000)).as("slow-header connection closed").isTrue();
            assertThat(idle.closedWithin(3_000)).as("idle connection closed").isTrue();
        }
        assertThat(metric("sluice_connections_closed_total{reason=\"idle\"}")).isGreaterThan(idleBefore);
        assertThat(metric("sluice_connections_closed_total{reason=\"header_timeout\"}")).isGreaterThan(slowBefore);
    }

    @Test
    void aKeptAliveConnectionServesRequestsThenIsClosedWhenIdle() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            for (int i = 0; i < 2; i++) {
                raw.post("/v1/messages", Http.userMessage("again", false));
                assertThat(raw.readHead()).isEqualTo(200);
                raw.readBody();
                Thread.sleep(300); // under the idle timeout: still open
            }
            assertThat(raw.closedWithin(3_000)).isTrue();
        }
    }

    @Test
    void requestsTheHttpLayerCannotParseGetAnEnvelopeWithARequestId() throws Exception {
        assertRawRefusal("GARBAGE\r\n\r\n", 400);
        assertRawRefusal("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nhost: x\r\n\r\n", 414);
        assertRawRefusal("GET / HTTP/1.1\r\nhost: x\r\nx-big: " + "b".repeat(70_000) + "\r\n\r\n", 431);
    }

    private static void assertRawRefusal(String request, int status) throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.write(request.getBytes(ISO_8859_1));
            assertThat(raw.readHead()).as(request.substring(0, Math.min(20, request.length()))).isEqualTo(status);
            assertThat(raw.header("request-id")).startsWith("req_");
            JsonNode body = Http.json(raw.readBodyText());
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("request_id").asText()).isEqualTo(raw.header("request-id"));
            assertThat(raw.closedWithin(2_000)).isTrue();
        }
    }

    @Test
    void metricsRefuseOtherMethodsWithAnEnvelope() {
        HttpResponse<String> resp = Http.send(Http.request(SLUICE.gatewayUrl(), "/metrics")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(resp.statusCode()).isEqualTo(405);
        assertThat(resp.headers().firstValue("allow")).contains("GET, HEAD");
        ErrorPathsTest.assertEnvelope(resp, "invalid_request_error");
    }

    @Test
    void anUnknownRequestIdIsA404EnvelopeWithItsOwnRequestId() {
        HttpResponse<String> resp = Http.send(Http.request(SLUICE.gatewayUrl(), "/sluice/v1/requests/req_nope").GET().build());
        assertThat(resp.statusCode()).isEqualTo(404);
        JsonNode body = ErrorPathsTest.assertEnvelope(resp, "not_found_error");
        assertThat(body.path("request_id").asText()).startsWith("req_").isEqualTo(resp.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void anUnknownContentEncodingIsRefusedAndGzipIsReadAndForwardedPlain() throws Exception {
        HttpResponse<String> unknown = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/messages")
                .header("content-encoding", "zstd-of-the-future")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build());
        assertThat(unknown.statusCode()).isEqualTo(415);
        ErrorPathsTest.assertEnvelope(unknown, "invalid_request_error");
        assertThat(SLUICE.recorder().received()).isEmpty();

        String plain = Http.userMessage("compressed", false);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain.getBytes(UTF_8));
        }
        HttpResponse<String> gzipped = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/messages")
                .header("content-encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build());
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(200);
        var received = SLUICE.recorder().received().getFirst();
        assertThat(new String(received.body(), UTF_8)).isEqualTo(plain);
        assertThat(received.headers().stream().map(h -> h.getKey().toLowerCase()).toList()).doesNotContain("content-encoding");
    }

    /** One value from {@code /metrics}: the series written exactly as given (name and labels). */
    static double metric(String series) {
        String text = Http.send(Http.request(SLUICE.gatewayUrl(), "/metrics").GET().build()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ") || (series.indexOf('{') < 0 && line.startsWith(series + "{"))
                    || line.startsWith(series.replace("}", ",}") + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no series " + series + " in /metrics:\n" + text);
    }
}
