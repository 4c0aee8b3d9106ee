package dev.sluice.front.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.provider.bedrock.BedrockDecoder;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's frames read back by the gateway's own Bedrock decoder (and the AWS SDK's CRC-checking codec). */
class BedrockEncoderTest {
    private static final List<SseEvent> ANSWER = List.of(
            SseEvent.of("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"usage\":{\"input_tokens\":12,"
                    + "\"cache_read_input_tokens\":3,\"cache_creation_input_tokens\":4,\"output_tokens\":1}}}"),
            SseEvent.of("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            SseEvent.of("ping", "{\"type\": \"ping\"}"),
            SseEvent.of("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"héllo ✓\"}}"),
            SseEvent.of("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
            SseEvent.of("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7}}"),
            SseEvent.of("message_stop", "{\"type\":\"message_stop\"}"));

    @Test
    void eachEventIsOneChunkFrameTheDecoderReadsBackByteForByte() {
        Buffer wire = new BedrockEncoder(exchange(Operation.MESSAGES)).events(ANSWER);
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        List<SseEvent> back = new ArrayList<>();
        // in awkward pieces, as a network delivers them
        for (int at = 0; at < wire.length(); at += 7) {
            decoder.chunk(wire.getBuffer(at, Math.min(wire.length(), at + 7)), back);
        }
        assertThat(back).hasSize(ANSWER.size());
        for (int i = 0; i < ANSWER.size() - 1; i++) {
            assertThat(back.get(i).type()).isEqualTo(ANSWER.get(i).type());
            assertThat(back.get(i).data()).isEqualTo(ANSWER.get(i).data());
        }
        // The decoder takes Bedrock's metrics off (an Anthropic client never sees them); the frame itself carries them.
        assertThat(back.getLast().data()).isEqualTo("{\"type\":\"message_stop\"}");
        assertThat(rawEvents(wire).getLast()).startsWith("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{")
                .contains("\"inputTokenCount\":12,\"outputTokenCount\":7,").contains("\"cacheReadInputTokenCount\":3,\"cacheWriteInputTokenCount\":4}");
        assertThat(decoder.report().complete()).isTrue();
        assertThat(decoder.report().usage().outputTokens()).isEqualTo(7);
        assertThat(BedrockDoorTest.frames(wire.getBytes())).hasSize(ANSWER.size()); // the SDK checks both CRCs of each
    }

    @Test
    void aCorruptedByteFailsTheChecksum() {
        byte[] wire = new BedrockEncoder(exchange(Operation.MESSAGES)).events(ANSWER.subList(0, 1)).getBytes();
        wire[wire.length - 10] ^= 1;
        assertThatThrownBy(() -> BedrockDoorTest.frames(wire)).hasMessageContaining("checksum");
    }

    @Test
    void metricsAUpstreamAlreadyAddedStayAsTheyCame() {
        String fromBedrock = "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":99}}";
        Buffer wire = new BedrockEncoder(exchange(Operation.MESSAGES)).events(List.of(SseEvent.of("message_stop", fromBedrock)));
        assertThat(rawEvents(wire).getFirst()).isEqualTo(fromBedrock);
    }

    @Test
    void anErrorEventIsAnExceptionFrameTheDecoderMapsBack() {
        ClientEncoder encoder = new BedrockEncoder(exchange(Operation.MESSAGES));
        Buffer wire = encoder.events(List.of(SseEvent.of("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        var frame = BedrockDoorTest.frames(wire.getBytes()).getFirst();
        assertThat(frame.getHeaders().get(":message-type").getString()).isEqualTo("exception");
        assertThat(frame.getHeaders().get(":exception-type").getString()).isEqualTo("serviceUnavailableException");
        assertThat(new String(frame.getPayload(), UTF_8)).isEqualTo("{\"message\":\"Overloaded\"}");
        assertThat(decode(wire).getFirst().data()).contains("\"overloaded_error\"");

        Buffer own = BedrockDoor.INSTANCE.errorEvent(new ApiError(429, "rate_limit_error", "slow down"), "req-1");
        assertThat(BedrockDoorTest.frames(own.getBytes()).getFirst().getHeaders().get(":exception-type").getString())
                .isEqualTo("throttlingException");
    }

    @Test
    void wholeAnswersAreBedrocksShapes() {
        Exchange ex = exchange(Operation.MESSAGES);
        BedrockEncoder encoder = new BedrockEncoder(ex);
        Buffer message = Buffer.buffer("{\"type\":\"message\",\"content\":[]}");
        assertThat(encoder.body(200, message)).isSameAs(message);
        Buffer error = encoder.body(529, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"r\"}"));
        assertThat(error.toString()).isEqualTo("{\"message\":\"Overloaded\"}");
        assertThat(ex.responseHeaders().get("x-amzn-ErrorType")).isEqualTo("ServiceUnavailableException");
        assertThat(new BedrockEncoder(exchange(Operation.COUNT_TOKENS)).body(200, Buffer.buffer("{\"input_tokens\":42}")).toString())
                .isEqualTo("{\"inputTokens\":42}");
        assertThat(encoder.contentType(true)).isEqualTo("application/vnd.amazon.eventstream");
    }

    /** Each chunk frame's event as the encoder wrote it: the payload's {@code bytes}, base64-decoded. */
    private static List<String> rawEvents(Buffer wire) {
        List<String> out = new ArrayList<>();
        for (var frame : BedrockDoorTest.frames(wire.getBytes())) {
            String b64;
            try {
                b64 = dev.sluice.wire.Json.MAPPER.readTree(frame.getPayload()).path("bytes").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.add(new String(java.util.Base64.getDecoder().decode(b64), UTF_8));
        }
        return out;
    }

    private static List<SseEvent> decode(Buffer wire) {
        List<SseEvent> out = new ArrayList<>();
        new BedrockDecoder(Operation.MESSAGES).chunk(wire, out);
        return out;
    }

    static Exchange exchange(Operation op) {
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(BedrockEncoderTest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> {
                    Class<?> t = method.getReturnType();
                    return t == boolean.class ? Boolean.FALSE : t == long.class ? 0L : t == int.class ? 0 : null;
                });
        return new Exchange("req-1", System.nanoTime(), request, op, "POST /bedrock/model/{modelId}/invoke", null, null);
    }
}
