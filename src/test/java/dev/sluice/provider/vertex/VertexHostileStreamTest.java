package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broken or odd Vertex AI (attack round 26): CRLF line ends, events split across reads, Google's own error shape in
 * an {@code error} event first and mid-stream, a stream that stops short. The Anthropic client gets Anthropic's wire
 * (an error event in Anthropic's envelope, which its SDK reads), usage billed exactly with cache writes by TTL.
 */
class VertexHostileStreamTest {
    private static final String GOOGLE_ERROR = "event: error\ndata: {\"error\":{\"code\":429,\"message\":\"Quota exceeded, retry"
            + " later\",\"status\":\"RESOURCE_EXHAUSTED\"}}\n\n";
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() {
        stub = StubServer.start((req, body) -> {
            String text = body.toString(StandardCharsets.UTF_8);
            int at = text.indexOf("mode=");
            String mode = text.substring(at + 5, text.indexOf(";", at));
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            switch (mode) {
                case "crlf" -> resp.end(answer().replace("\n", "\r\n"));
                case "split" -> {
                    String all = answer();
                    List<String> pieces = new ArrayList<>();
                    for (int i = 0; i < all.length(); i += 5) {
                        pieces.add(all.substring(i, Math.min(all.length(), i + 5)));
                    }
                    writeSlowly(resp, pieces, 0);
                }
                case "google-error-first" -> resp.end(GOOGLE_ERROR);
                case "google-error-mid" -> resp.end(AnthropicSse.messageStart("claude-sonnet-4-5-20250929", 10)
                        + AnthropicSse.TEXT_BLOCK_START + AnthropicSse.textDelta("Hel") + GOOGLE_ERROR);
                case "no-stop" -> resp.end(AnthropicSse.messageStart("claude-sonnet-4-5-20250929", 10)
                        + AnthropicSse.TEXT_BLOCK_START + AnthropicSse.textDelta("Hel"));
                default -> resp.setStatusCode(404).end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: vx, provider: vertex, base-url: "http://127.0.0.1:%d", project: p-1, region: global,
                     keys: [{alias: tok, value: ya29.static-token}]}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - {match: "*", upstream: vx, model: claude-sonnet-4-5-20250929}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    private static void writeSlowly(HttpServerResponse resp, List<String> pieces, int i) {
        if (i == pieces.size()) {
            resp.end();
            return;
        }
        resp.write(pieces.get(i));
        stub.vertx().setTimer(1, t -> writeSlowly(resp, pieces, i + 1));
    }

    /** An answer with cache reads and 5-minute and 1-hour cache writes. */
    private static String answer() {
        return AnthropicSse.event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":2000,"
                + "\"cache_creation_input_tokens\":3000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,"
                + "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1}}}")
                + AnthropicSse.TEXT_BLOCK_START + AnthropicSse.textDelta("Hello") + AnthropicSse.textDelta(" there")
                + AnthropicSse.TEXT_BLOCK_STOP + AnthropicSse.messageDelta("end_turn", 50) + AnthropicSse.MESSAGE_STOP;
    }

    private static HttpResponse<String> ask(String mode) {
        return Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=" + mode + ";", true));
    }

    private static List<String> names(HttpResponse<String> r) {
        return Http.names(Http.events(r.body())).stream().filter(n -> !n.equals("ping")).toList();
    }

    private static void exactlyBilled(HttpResponse<String> r) {
        JsonNode record = Http.record(h.gatewayUrl(), Http.requestId(r));
        JsonNode a = record.path("attempts").get(0);
        assertThat(record.path("attempts")).hasSize(1);
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(100);
        assertThat(a.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(2000);
        assertThat(a.at("/usage/cache_creation/ephemeral_5m_input_tokens").asLong()).isEqualTo(1000);
        assertThat(a.at("/usage/cache_creation/ephemeral_1h_input_tokens").asLong()).isEqualTo(2000);
        assertThat(a.at("/usage/output_tokens").asLong()).isEqualTo(50);
        assertThat(a.path("usage_estimated").asBoolean()).isFalse();
        // Sonnet 4.5 per million: input $3, cache read $0.30, 5-minute write $3.75, 1-hour write $6, output $15.
        // 100 x 3 + 2000 x 0.30 + 1000 x 3.75 + 2000 x 6 + 50 x 15 = 17,400 -> $0.0174
        assertThat(record.path("cost_usd").asText()).isEqualTo("0.0174");
    }

    @Test
    void crlfLineEndsAreAWholeAnswerBilledExactly() {
        HttpResponse<String> r = ask("crlf");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(names(r)).endsWith("message_delta", "message_stop");
        exactlyBilled(r);
    }

    @Test
    void eventsSplitAcrossReadsAreWholeAndBilledExactly() {
        HttpResponse<String> r = ask("split");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(names(r)).endsWith("message_delta", "message_stop");
        exactlyBilled(r);
    }

    /** The old decoder relayed Google's shape as it came: the client's HTTP status said nothing and its SDK could not read it. */
    @Test
    void googlesErrorShapeFirstIsAnAnthropicErrorWithItsStatus() {
        HttpResponse<String> r = ask("google-error-first");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        JsonNode error = Http.json(r.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("rate_limit_error");
        List<JsonNode> attempts = Http.attempts(h.gatewayUrl(), r);
        assertThat(attempts).isNotEmpty().allSatisfy(a -> assertThat(a.path("error_type").asText()).isEqualTo("rate_limit_error"));
    }

    @Test
    void googlesErrorShapeMidStreamIsAnAnthropicErrorEvent() {
        HttpResponse<String> r = ask("google-error-mid");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        JsonNode error = Http.events(r.body()).getLast().json();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.at("/error/message").asText()).isNotBlank();
    }

    @Test
    void aStreamThatStopsShortEndsInAnErrorEvent() {
        HttpResponse<String> r = ask("no-stop");
        assertThat(names(r)).endsWith("error");
        JsonNode a = Http.attempts(h.gatewayUrl(), r).getFirst();
        assertThat(a.path("error_type").asText()).isEqualTo("api_error");
    }
}
