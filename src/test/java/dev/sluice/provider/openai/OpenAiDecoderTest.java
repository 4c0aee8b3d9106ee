package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiDecoderTest {
    private static List<SseEvent> decode(OpenAiDecoder decoder, byte[] sse, int size) {
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < sse.length; i += size) {
            decoder.chunk(Buffer.buffer(Arrays.copyOfRange(sse, i, Math.min(sse.length, i + size))), out);
        }
        decoder.end(out);
        return out;
    }

    @Test
    void chunkedParallelToolCallsBecomeToolUseBlocksTheSdkAccumulates() {
        byte[] sse = OpenAiFixtures.bytes("/providers/openai/stream-tool-calls.sse");
        for (int size : new int[] {5, 113, 1 << 20}) {
            OpenAiDecoder decoder = new OpenAiDecoder();
            List<SseEvent> events = decode(decoder, sse, size);
            assertThat(events).extracting(SseEvent::type).containsExactly("message_start",
                    "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                    "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                    "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
            Message message = OpenAiFixtures.accumulate(events);
            assertThat(message.content()).hasSize(3);
            assertThat(message.content().get(0).asText().text()).isEqualTo("Let me read both files.");
            ContentBlock a = message.content().get(1);
            assertThat(a.asToolUse().id()).isEqualTo("call_Qx1AbCdEf");
            assertThat(a.asToolUse().name()).isEqualTo("Read");
            assertThat(a.asToolUse()._input().toString()).contains("/tmp/a.txt");
            assertThat(message.content().get(2).asToolUse()._input().toString()).contains("/tmp/b.txt");
            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            assertThat(message.usage().inputTokens()).isEqualTo(254);
            assertThat(message.usage().cacheReadInputTokens()).contains(14976L);
            assertThat(message.usage().outputTokens()).isEqualTo(61);
            assertThat(decoder.report().usage()).isEqualTo(new Usage(254, 61, 0, 14976, 0, 0, 0, 0));
            assertThat(decoder.report().estimated()).isFalse();
            assertThat(decoder.report().complete()).isTrue();
            assertThat(decoder.report().servedModel()).isEqualTo("gpt-4.1-2025-04-14");
        }
    }

    @Test
    void eachChunkIsTranslatedAtOnce() {
        byte[] sse = OpenAiFixtures.bytes("/providers/openai/stream-tool-calls.sse");
        String text = new String(sse);
        int secondFrameEnd = text.indexOf("\n\n", text.indexOf("\n\n") + 2) + 2;
        OpenAiDecoder decoder = new OpenAiDecoder();
        List<SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(Arrays.copyOf(sse, secondFrameEnd)), out);
        assertThat(out).extracting(SseEvent::type).containsExactly("message_start", "content_block_start", "content_block_delta");
    }

    @Test
    void ollamaStyleWholeToolCallAndStopFinish() {
        OpenAiDecoder decoder = new OpenAiDecoder();
        Message message = OpenAiFixtures.accumulate(decode(decoder,
                OpenAiFixtures.bytes("/providers/openai/stream-ollama-single-chunk-tool.sse"), 64));
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().asToolUse().name()).isEqualTo("Bash");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(decoder.report().usage()).isEqualTo(Usage.of(812, 24));
    }

    @Test
    void aStreamWithoutUsageIsEstimatedAndACutOneIncomplete() {
        String text = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcdefgh\"},\"finish_reason\":null}]}\n\n";
        String sse = text + "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n";
        OpenAiDecoder cut = new OpenAiDecoder();
        decode(cut, text.getBytes(), 1000); // cut before the finish
        assertThat(cut.report().complete()).isFalse();
        OpenAiDecoder finished = new OpenAiDecoder();
        decode(finished, sse.getBytes(), 1000); // the finish, then a clean end without [DONE] (attack round 26)
        assertThat(finished.report().complete()).isTrue();
        assertThat(finished.report().estimated()).isTrue();
        OpenAiDecoder done = new OpenAiDecoder();
        Message m = OpenAiFixtures.accumulate(decode(done, (sse + "data: [DONE]\n\n").getBytes(), 1000));
        assertThat(m.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(done.report().estimated()).isTrue();
        assertThat(done.report().usage().outputTokens()).isEqualTo(2);
    }

    /**
     * OpenAI counts of the wrong type or size are never a silent exact bill: a string counts but is flagged, 2^64 is held
     * (then bounded and flagged by the attempt) instead of wrapping to 0, a negative is 0 and flagged.
     */
    @Test
    void usageCountsNoServerMeansAreFlagged() {
        String chunk = "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},"
                + "\"finish_reason\":\"stop\"}]}\n\n";
        OpenAiDecoder wrapped = new OpenAiDecoder();
        decode(wrapped, (chunk + "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + "18446744073709551616,\"completion_tokens\":5}}\n\ndata: [DONE]\n\n").getBytes(), 1000);
        assertThat(wrapped.report().usage().inputTokens()).isEqualTo(Long.MAX_VALUE);
        assertThat(wrapped.report().usage().plausible()).as("the attempt holds it at the bound and flags it").isFalse();
        OpenAiDecoder string = new OpenAiDecoder();
        decode(string, (chunk + "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + "\"900\",\"completion_tokens\":5}}\n\ndata: [DONE]\n\n").getBytes(), 1000);
        assertThat(string.report().usage().inputTokens()).isEqualTo(900);
        assertThat(string.report().estimated()).isTrue();
        OpenAiDecoder body = new OpenAiDecoder();
        body.body(200, Buffer.buffer(("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":-40,\"completion_tokens\":5}}").getBytes()));
        assertThat(body.report().usage().outputTokens()).isEqualTo(5);
        assertThat(body.report().estimated()).isTrue();
        OpenAiDecoder exact = new OpenAiDecoder();
        exact.body(200, Buffer.buffer(("{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":null}}}").getBytes()));
        assertThat(exact.report().usage()).isEqualTo(Usage.of(40, 5));
        assertThat(exact.report().estimated()).isFalse();
    }

    @Test
    void inStreamErrorAndKeepAliveComments() throws Exception {
        String sse = ": OPENROUTER PROCESSING\n\n"
                + "data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"code\":null}}\n\n";
        OpenAiDecoder decoder = new OpenAiDecoder();
        List<SseEvent> out = decode(decoder, sse.getBytes(), 7);
        assertThat(out).extracting(SseEvent::type).containsExactly("error");
        assertThat(Json.MAPPER.readTree(out.getFirst().data()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(decoder.report().errorType()).isEqualTo("api_error");
    }

    @Test
    void completionBodyBecomesAMessage() throws Exception {
        OpenAiDecoder decoder = new OpenAiDecoder();
        JsonNode m = Json.MAPPER.readTree(decoder.body(200, Buffer.buffer(OpenAiFixtures.bytes(
                "/providers/openai/completion-tool-call.json"))).getBytes());
        assertThat(m.get("type").asText()).isEqualTo("message");
        assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(m.at("/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(m.at("/content/0/input/file_path").asText()).isEqualTo("/tmp/a.txt");
        assertThat(m.at("/usage/input_tokens").asInt()).isEqualTo(1024);
        assertThat(m.at("/usage/cache_read_input_tokens").asInt()).isEqualTo(1024);
        assertThat(decoder.report().usage()).isEqualTo(new Usage(1024, 19, 0, 1024, 0, 0, 0, 0));
        // The official SDK reads it as a Message.
        Message parsed = com.anthropic.core.ObjectMappers.jsonMapper().readValue(m.toString(), Message.class);
        assertThat(parsed.content().getFirst().asToolUse().name()).isEqualTo("Read");
    }

    @Test
    void contextLengthBecomesPromptTooLongAndKeyErrorsAreGeneric() throws Exception {
        JsonNode e = Json.MAPPER.readTree(new OpenAiDecoder().body(400, Buffer.buffer(OpenAiFixtures.bytes(
                "/providers/openai/error-context-length.json"))).getBytes());
        assertThat(e.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.at("/error/message").asText()).isEqualTo("prompt is too long: 131072 tokens > 128000 maximum");
        String key = new OpenAiDecoder().body(401, Buffer.buffer(OpenAiFixtures.bytes(
                "/providers/openai/error-invalid-key.json"))).toString();
        assertThat(key).doesNotContain("Xk3Q").contains("authentication_error");
    }
}
