package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockDecoderTest {
    private static final List<String> EVENTS = Fixtures.lines("/providers/bedrock/stream-tool-use.jsonl");

    private static byte[] stream(List<String> events) {
        return Fixtures.concat(events.stream().map(Fixtures::chunkFrame).toList());
    }

    /** Feeds {@code bytes} in pieces of {@code size} and returns every event, checking each piece's events are out at once. */
    private static List<SseEvent> feed(BedrockDecoder decoder, byte[] bytes, int size) {
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            decoder.chunk(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size))), out);
        }
        decoder.end(out);
        return out;
    }

    /** Each event as Anthropic's API sends it: Bedrock's own metrics come off the last one, nothing else changes. */
    private static String anthropics(String bedrockEvent) {
        return bedrockEvent.replaceFirst(",\"amazon-bedrock-invocationMetrics\":\\{[^}]*}", "");
    }

    @Test
    void eachChunkBecomesOneCanonicalEventWithItsJsonUntouched() {
        assertThat(anthropics(EVENTS.getLast())).isEqualTo("{\"type\":\"message_stop\"}");
        for (int size : new int[] {1, 7, 64, 100_000}) {
            BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
            List<SseEvent> out = feed(decoder, stream(EVENTS), size);
            assertThat(out).hasSize(EVENTS.size());
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).data()).isEqualTo(anthropics(EVENTS.get(i)));
                // The frame is proper SSE: our framer reads back the same type and data.
                SseEvent reparsed = SseFramer.parse(out.get(i).raw());
                assertThat(reparsed.type()).isEqualTo(out.get(i).type());
                assertThat(reparsed.data()).isEqualTo(anthropics(EVENTS.get(i)));
            }
            assertThat(out).extracting(SseEvent::type).containsExactly("message_start", "content_block_start",
                    "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta",
                    "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
            assertThat(decoder.report().complete()).isTrue();
            assertThat(decoder.report().estimated()).isFalse();
            assertThat(decoder.report().usage()).isEqualTo(new Usage(12, 57, 2048, 15360, 0, 2048, 0, 0));
            assertThat(decoder.report().servedModel()).isEqualTo("claude-sonnet-4-5-20250929");
        }
    }

    /**
     * A corrupt first frame is a broken answer (the attempt loop's 502, or the route's next target); one after the answer
     * began ends the stream with an error event after the frames that passed their checks.
     */
    @Test
    void aCorruptFrameBeforeTheAnswerIsUnreadableAndAfterItAnErrorEvent() {
        byte[] bad = Fixtures.chunkFrame(EVENTS.get(0));
        bad[bad.length - 1] ^= 1; // the message CRC
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BedrockDecoder(Operation.MESSAGES)
                .chunk(Buffer.buffer(bad), new ArrayList<>())).isInstanceOf(dev.sluice.translate.UnreadableAnswer.class);

        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        List<SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(Fixtures.chunkFrame(EVENTS.get(0))), out);
        byte[] second = Fixtures.chunkFrame(EVENTS.get(1));
        second[second.length - 1] ^= 1;
        decoder.chunk(Buffer.buffer(second), out);
        assertThat(out).extracting(SseEvent::type).containsExactly("message_start", "error");
        assertThat(decoder.report().errorType()).isEqualTo("api_error");
        decoder.chunk(Buffer.buffer(Fixtures.chunkFrame(EVENTS.get(2))), out); // nothing after it is trusted
        assertThat(out).hasSize(2);
    }

    @Test
    void eventsLeaveAsSoonAsTheirFrameIsComplete() {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        byte[] first = Fixtures.chunkFrame(EVENTS.get(0));
        List<SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(Arrays.copyOf(first, first.length - 1)), out);
        assertThat(out).isEmpty();
        decoder.chunk(Buffer.buffer(new byte[] {first[first.length - 1]}), out);
        assertThat(out).hasSize(1);
    }

    @Test
    void invocationMetricsCountWhenTheFinalDeltaIsMissing() {
        List<String> noDelta = EVENTS.stream().filter(e -> !e.contains("message_delta")).toList();
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        feed(decoder, stream(noDelta), 50);
        assertThat(decoder.report().usage()).isEqualTo(new Usage(12, 57, 2048, 15360, 0, 0, 0, 0));
        assertThat(decoder.report().estimated()).isFalse();
    }

    @Test
    void aCutStreamIsEstimatedAndIncomplete() {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        feed(decoder, stream(EVENTS.subList(0, 4)), 13);
        assertThat(decoder.report().complete()).isFalse();
        assertThat(decoder.report().estimated()).isTrue();
        assertThat(decoder.report().usage().inputTokens()).isEqualTo(12);
    }

    @Test
    void exceptionFramesBecomeErrorEventsWithTheRightType() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        byte[] bytes = Fixtures.concat(List.of(Fixtures.chunkFrame(EVENTS.get(0)),
                Fixtures.exceptionFrame("throttlingException", "Too many requests, please wait before trying again.")));
        List<SseEvent> out = feed(decoder, bytes, 33);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).type()).isEqualTo("error");
        JsonNode error = Json.MAPPER.readTree(out.get(1).data());
        assertThat(error.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.at("/error/message").asText()).isEqualTo("Too many requests, please wait before trying again.");
        assertThat(decoder.report().errorType()).isEqualTo("rate_limit_error");

        for (String[] c : new String[][] {{"modelStreamErrorException", "api_error"}, {"validationException", "invalid_request_error"},
                {"internalServerException", "api_error"}, {"serviceUnavailableException", "overloaded_error"}}) {
            BedrockDecoder d = new BedrockDecoder(Operation.MESSAGES);
            List<SseEvent> o = feed(d, Fixtures.exceptionFrame(c[0], "boom"), 10);
            assertThat(Json.MAPPER.readTree(o.getFirst().data()).at("/error/type").asText()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void exceptionsThatNameTheAccountAreReplaced() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        List<SseEvent> out = feed(decoder, Fixtures.exceptionFrame("validationException",
                "Model arn:aws:bedrock:us-east-1:123456789012:foundation-model/x is not enabled"), 10);
        String message = Json.MAPPER.readTree(out.getFirst().data()).at("/error/message").asText();
        assertThat(message).doesNotContain("123456789012").doesNotContain("arn:").isEqualTo("Bedrock rejected the request as invalid");
    }

    @Test
    void framesBeforeACorruptOneInTheSameChunkAreStillHandedOn() {
        // One network read holding whole good frames and then a bad one: the good ones (here the final usage) were
        // decoded and then dropped with the bad one, so the bill lost what the stream had already said.
        byte[] good = stream(EVENTS.subList(0, EVENTS.size() - 1));
        byte[] bad = Fixtures.chunkFrame(EVENTS.getLast());
        bad[bad.length - 1] ^= 0x55; // its message CRC no longer matches
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        List<SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(Fixtures.concat(List.of(good, bad))), out);
        assertThat(out).hasSize(EVENTS.size());
        assertThat(out.subList(0, EVENTS.size() - 1)).extracting(SseEvent::type).doesNotContain("error");
        assertThat(out.getLast().type()).isEqualTo("error");
        assertThat(out).extracting(SseEvent::type).contains("message_delta");
        assertThat(decoder.report().usage().outputTokens()).as("the message_delta's count").isPositive();
        assertThat(decoder.report().estimated()).isFalse();
    }

    @Test
    void invokeBodyPassesThroughWithItsUsage() {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        Buffer body = Buffer.buffer(Fixtures.bytes("/providers/bedrock/invoke-response.json"));
        assertThat(decoder.body(200, body)).isSameAs(body);
        assertThat(decoder.report().usage()).isEqualTo(new Usage(10, 9, 0, 4096, 0, 0, 0, 0));
        assertThat(decoder.report().complete()).isTrue();
    }

    /** Bedrock's whole answers follow the wire's usage rules: wrong-typed counts and an empty 2xx are never an exact $0. */
    @Test
    void invokeBodyWithUsageNoApiMeansIsFlaggedAndAnEmptyOneIsNoAnswer() {
        BedrockDecoder strings = new BedrockDecoder(Operation.MESSAGES);
        strings.body(200, Buffer.buffer("{\"type\":\"message\",\"content\":[],\"usage\":{\"input_tokens\":\"900\",\"output_tokens\":-4}}"));
        assertThat(strings.report().usage()).isEqualTo(Usage.of(900, 0));
        assertThat(strings.report().estimated()).isTrue();
        BedrockDecoder empty = new BedrockDecoder(Operation.MESSAGES);
        empty.body(200, Buffer.buffer());
        assertThat(empty.report().usage()).isEqualTo(Usage.ZERO);
        assertThat(empty.report().estimated()).isTrue();
        assertThat(empty.report().complete()).isFalse();
    }

    /** A stream whose final message_delta carries a count no API means is flagged on Bedrock too (it was exact). */
    @Test
    void aStreamsDoubtfulFinalCountIsFlagged() {
        List<String> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).contains("\"message_delta\"")) {
                events.set(i, events.get(i).replace("\"output_tokens\":57", "\"output_tokens\":\"57\""));
            }
        }
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        feed(decoder, stream(events), 100_000);
        assertThat(decoder.report().usage().outputTokens()).isEqualTo(57);
        assertThat(decoder.report().estimated()).isTrue();
        BedrockDecoder plain = new BedrockDecoder(Operation.MESSAGES);
        feed(plain, stream(EVENTS), 100_000);
        assertThat(plain.report().estimated()).isFalse();
    }

    @Test
    void inputTooLongIsRelayedExactly() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        decoder.head(MultiMap.caseInsensitiveMultiMap().add("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"));
        JsonNode out = Json.MAPPER.readTree(decoder.body(400, Buffer.buffer(Fixtures.bytes(
                "/providers/bedrock/error-validation-too-long.json"))).getBytes());
        assertThat(out.at("/type").asText()).isEqualTo("error");
        assertThat(out.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(out.at("/error/message").asText()).isEqualTo("Input is too long.");
    }

    @Test
    void accessDeniedNamingTheAccountIsGeneric() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        decoder.head(MultiMap.caseInsensitiveMultiMap().add("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/"));
        String out = decoder.body(403, Buffer.buffer(Fixtures.bytes("/providers/bedrock/error-access-denied.json")))
                .toString(StandardCharsets.UTF_8);
        JsonNode tree = Json.MAPPER.readTree(out);
        assertThat(tree.at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(out).doesNotContain("123456789012").doesNotContain("arn:").doesNotContain("gateway-role");
        assertThat(BedrockErrors.clientStatus(403, "permission_error")).isEqualTo(403);
    }

    @Test
    void validationMessagesWithoutAccountDetailsAreRelayed() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        JsonNode tree = Json.MAPPER.readTree(decoder.body(400, Buffer.buffer(Fixtures.bytes(
                "/providers/bedrock/error-validation-field.json"))).getBytes());
        assertThat(tree.at("/error/message").asText()).startsWith("messages.1.content.0.type: Expected `thinking`");
        assertThat(decoder.report().errorType()).isEqualTo("invalid_request_error");
    }

    @Test
    void countTokensBecomesAnthropicShape() {
        BedrockDecoder decoder = new BedrockDecoder(Operation.COUNT_TOKENS);
        assertThat(decoder.body(200, Buffer.buffer("{\"inputTokens\":1234}")).toString()).isEqualTo("{\"input_tokens\":1234}");
        assertThat(decoder.report().usage()).isEqualTo(Usage.ZERO);
    }

    @Test
    void statusesMapToAnthropics() {
        assertThat(BedrockErrors.clientStatus(424, BedrockErrors.type("ModelErrorException", 424))).isEqualTo(500);
        assertThat(BedrockErrors.clientStatus(408, BedrockErrors.type("ModelTimeoutException", 408))).isEqualTo(504);
        assertThat(BedrockErrors.clientStatus(429, BedrockErrors.type("ThrottlingException", 429))).isEqualTo(429);
        assertThat(BedrockErrors.clientStatus(503, BedrockErrors.type("ServiceUnavailableException", 503))).isEqualTo(529);
    }
}
