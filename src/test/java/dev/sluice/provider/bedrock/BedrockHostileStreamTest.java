package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A broken or hostile Bedrock (attack round 26): corrupt, cut, oversized and unknown event-stream frames, exceptions
 * first and mid-stream, a chunk whose bytes are no event. The client gets a well-formed Anthropic answer or a clear
 * error (an HTTP envelope when nothing was relayed, else an {@code error} event that ends the stream), never a hang;
 * every upstream attempt has exactly one record.
 */
class BedrockHostileStreamTest {
    private static StubServer stub;
    private static SluiceHarness h;

    @BeforeAll
    static void start() {
        stub = StubServer.start((req, body) -> {
            String text = body.toString(StandardCharsets.UTF_8);
            String mode = text.substring(text.indexOf("mode=") + 5, text.indexOf(";", text.indexOf("mode=")));
            HttpServerResponse resp = req.response().setChunked(true)
                    .putHeader("content-type", "application/vnd.amazon.eventstream");
            List<byte[]> answer = answer();
            switch (mode) {
                case "plain" -> resp.end(Buffer.buffer(Fixtures.concat(answer)));
                case "bad-prelude-first" -> resp.end(Buffer.buffer(flip(answer.getFirst(), 9)));
                case "bad-crc-mid" -> {
                    List<byte[]> frames = new ArrayList<>(answer.subList(0, 3));
                    frames.add(flip(answer.get(3), answer.get(3).length - 1)); // the message CRC
                    frames.addAll(answer.subList(3, answer.size()));
                    resp.end(Buffer.buffer(Fixtures.concat(frames)));
                }
                case "truncated-end" -> {
                    List<byte[]> frames = new ArrayList<>(answer.subList(0, 4));
                    byte[] next = answer.get(4);
                    frames.add(java.util.Arrays.copyOf(next, next.length / 2));
                    resp.end(Buffer.buffer(Fixtures.concat(frames)));
                }
                case "huge-length" -> {
                    // A prelude, its CRC right, declaring a 20 MB frame; then silence with the connection open.
                    resp.write(Buffer.buffer(Fixtures.concat(answer.subList(0, 3))));
                    resp.write(Buffer.buffer(prelude(20 << 20, 0)));
                    stub.vertx().setTimer(10_000, t -> req.connection().close());
                }
                case "throttled-first" -> resp.end(Buffer.buffer(Fixtures.exceptionFrame("throttlingException", "Too many requests")));
                case "model-error-mid" -> {
                    List<byte[]> frames = new ArrayList<>(answer.subList(0, 3));
                    frames.add(Fixtures.exceptionFrame("modelStreamErrorException", "The model stopped"));
                    frames.addAll(answer.subList(3, answer.size())); // a broken upstream that carries on after it
                    resp.end(Buffer.buffer(Fixtures.concat(frames)));
                }
                case "unknown-event" -> {
                    List<byte[]> frames = new ArrayList<>(answer);
                    frames.add(0, eventFrame("initial-response", "{}"));
                    frames.add(3, eventFrame("somethingNew", "{\"x\":1}"));
                    resp.end(Buffer.buffer(Fixtures.concat(frames)));
                }
                case "not-json-first" -> resp.end(Buffer.buffer(Fixtures.concat(List.of(rawChunk("not json at all"),
                        answer.get(1)))));
                case "not-json-mid" -> {
                    List<byte[]> frames = new ArrayList<>(answer.subList(0, 3));
                    frames.add(rawChunk("<html>oops</html>"));
                    frames.addAll(answer.subList(3, answer.size()));
                    resp.end(Buffer.buffer(Fixtures.concat(frames)));
                }
                default -> resp.setStatusCode(404).end();
            }
        });
        h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                streaming: {ping-interval: 250ms}
                upstreams:
                  - {name: hostile, provider: bedrock, base-url: "http://127.0.0.1:%d", region: us-east-1,
                     keys: [{alias: h1, value: ABSKaG9zdGlsZQ==}]}
                routing:
                  health: {consecutive-failures: 100000, min-requests: 100000}
                routes:
                  - {match: "*", upstream: hostile, model: claude-sonnet-4-5-20250929}
                """.formatted(stub.port()));
    }

    @AfterAll
    static void stop() {
        h.close();
        stub.close();
    }

    /** message_start, block start, two deltas, block stop, message_delta, message_stop with Bedrock's metrics. */
    private static List<byte[]> answer() {
        return List.of(
                Fixtures.chunkFrame("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":"
                        + "\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":120,\"cache_read_input_tokens\":30,"
                        + "\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}"),
                Fixtures.chunkFrame("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                Fixtures.chunkFrame("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                Fixtures.chunkFrame("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}"),
                Fixtures.chunkFrame("{\"type\":\"content_block_stop\",\"index\":0}"),
                Fixtures.chunkFrame("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":9}}"),
                Fixtures.chunkFrame("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":120,"
                        + "\"outputTokenCount\":9,\"invocationLatency\":10,\"firstByteLatency\":5}}"));
    }

    private static byte[] flip(byte[] frame, int at) {
        byte[] copy = frame.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    private static byte[] prelude(int total, int headers) {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(total).putInt(headers);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 8);
        return b.putInt((int) crc.getValue()).array();
    }

    private static byte[] eventFrame(String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return Fixtures.encode(new Message(headers, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** A chunk frame whose base64 bytes decode to {@code text} (not an Anthropic event). */
    private static byte[] rawChunk(String text) {
        String b64 = java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString("chunk"));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        return Fixtures.encode(new Message(headers, ("{\"bytes\":\"" + b64 + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> ask(String mode) {
        return Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("mode=" + mode + ";", true));
    }

    private static List<String> names(HttpResponse<String> r) {
        return Http.names(Http.events(r.body())).stream().filter(n -> !n.equals("ping")).toList();
    }

    private static JsonNode onlyAttempt(HttpResponse<String> r) {
        List<JsonNode> attempts = Http.attempts(h.gatewayUrl(), r);
        assertThat(attempts).hasSize(1);
        return attempts.getFirst();
    }

    @Test
    void aPlainAnswerIsBilledExactlyWithItsCacheRead() {
        HttpResponse<String> r = ask("plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(names(r)).endsWith("message_delta", "message_stop");
        JsonNode a = onlyAttempt(r);
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(120);
        assertThat(a.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(30);
        assertThat(a.at("/usage/output_tokens").asLong()).isEqualTo(9);
        assertThat(a.path("usage_estimated").asBoolean()).isFalse();
        // Sonnet 4.5 per million: 120 x $3 + 30 x $0.30 + 9 x $15 = 504
        assertThat(Http.record(h.gatewayUrl(), Http.requestId(r)).path("cost_usd").asText()).isEqualTo("0.000504");
    }

    @Test
    void aCorruptFirstFrameIsABrokenAnswerInTheAnthropicEnvelope() {
        HttpResponse<String> r = ask("bad-prelude-first");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(onlyAttempt(r).path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void aCorruptFrameMidStreamEndsItWithOneErrorEventAndNothingAfter() {
        HttpResponse<String> r = ask("bad-crc-mid");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("error_type").asText()).isEqualTo("api_error");
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
        assertThat(a.at("/usage/input_tokens").asLong()).isEqualTo(120);
    }

    @Test
    void aFrameCutAtTheConnectionsEndIsReportedNotTakenForAnEnd() {
        HttpResponse<String> r = ask("truncated-end");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).endsWith("error").doesNotContain("message_stop");
        assertThat(onlyAttempt(r).path("error_type").asText()).isEqualTo("api_error");
    }

    /** The old decoder allocated the 20 MB at once and then waited for them with the upstream silent. */
    @Test
    void aHugeDeclaredFrameEndsTheStreamAtOnceWithoutWaitingForIt() {
        long t0 = System.nanoTime();
        HttpResponse<String> r = ask("huge-length");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        assertThat(millis).as("the upstream stays silent for 10 s").isLessThan(5_000);
        assertThat(onlyAttempt(r).path("error_type").asText()).isEqualTo("api_error");
    }

    @Test
    void aPreludeDeclaringALargeFrameAllocatesOnlyTheBytesReceived() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BedrockDecoder decoder = new BedrockDecoder(dev.sluice.pipeline.Operation.MESSAGES);
        List<dev.sluice.wire.SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(Fixtures.concat(answer().subList(0, 2))), out); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        decoder.chunk(Buffer.buffer(prelude(15 << 20, 0)).appendString("{\"bytes\":"), out);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a prelude and 9 bytes").isLessThan(1 << 20);
        assertThat(out).hasSize(2);
    }

    @Test
    void aThrottlingExceptionFirstIsA429InTheAnthropicEnvelope() {
        HttpResponse<String> r = ask("throttled-first");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        // Retried once (nothing reached the client), each attempt its own record.
        List<JsonNode> attempts = Http.attempts(h.gatewayUrl(), r);
        assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.path("error_type").asText()).isEqualTo("rate_limit_error"));
    }

    @Test
    void aModelStreamErrorMidStreamIsTheLastEventTheClientGets() {
        HttpResponse<String> r = ask("model-error-mid");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        JsonNode a = onlyAttempt(r);
        assertThat(a.path("error_type").asText()).isEqualTo("api_error");
        assertThat(a.path("usage_estimated").asBoolean()).isTrue();
    }

    @Test
    void unknownEventTypesArePassedOverAndTheAnswerIsExact() {
        HttpResponse<String> r = ask("unknown-event");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode a = onlyAttempt(r);
        assertThat(a.at("/usage/output_tokens").asLong()).isEqualTo(9);
        assertThat(a.path("usage_estimated").asBoolean()).isFalse();
    }

    /** The old decoder relayed the unreadable chunk as an error event, which the client got as the upstream's HTTP 500. */
    @Test
    void aFirstChunkThatIsNoEventIsABrokenAnswer() {
        HttpResponse<String> r = ask("not-json-first");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(Http.json(r.body()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(onlyAttempt(r).path("usage_estimated").asBoolean()).isTrue();
    }

    /** The old decoder relayed an error event and then the rest of the answer after it. */
    @Test
    void aChunkThatIsNoEventMidStreamEndsTheStream() {
        HttpResponse<String> r = ask("not-json-mid");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(names(r)).containsExactly("message_start", "content_block_start", "content_block_delta", "error");
        assertThat(onlyAttempt(r).path("error_type").asText()).isEqualTo("api_error");
    }
}
