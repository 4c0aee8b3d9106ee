package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.ForeignThinking;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An OpenAI-protocol upstream's reasoning text (DeepSeek, vLLM, Qwen, Ollama) as Anthropic thinking blocks. */
class ReasoningDecodeTest {
    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-v4-pro\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    private static final String USAGE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"deepseek-v4-pro\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":31,\"total_tokens\":51,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":12}}}\n\ndata: [DONE]\n\n";

    private static List<SseEvent> decode(OpenAiDecoder decoder, String sse) {
        List<SseEvent> out = new ArrayList<>();
        byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) { // pieces cut anywhere
            decoder.chunk(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7))), out);
        }
        decoder.end(out);
        return out;
    }

    private static JsonNode data(SseEvent e) {
        return read(e.data());
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void streamedReasoningContentIsAThinkingBlockBeforeTheTextSignedWithTheGatewaysMark() {
        String sse = chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", null)
                + chunk("{\"content\":null,\"reasoning_content\":\"The user asks \"}", null)
                + chunk("{\"content\":null,\"reasoning_content\":\"about 9.11.\"}", null)
                + chunk("{\"content\":\"9.8 is\",\"reasoning_content\":null}", null)
                + chunk("{\"content\":\" greater.\"}", null)
                + chunk("{}", "stop") + USAGE;
        OpenAiDecoder decoder = new OpenAiDecoder();
        List<SseEvent> events = decode(decoder, sse);
        assertThat(events).extracting(SseEvent::type).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(data(events.get(1)).at("/content_block/type").asText()).isEqualTo("thinking");
        assertThat(data(events.get(4)).at("/delta/type").asText()).isEqualTo("signature_delta");
        assertThat(data(events.get(4)).at("/delta/signature").asText()).isEqualTo(ForeignThinking.SIGNATURE);
        assertThat(data(events.get(6)).path("index").asInt()).isEqualTo(1);

        Message message = OpenAiFixtures.accumulate(events);
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("The user asks about 9.11.");
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo(ForeignThinking.SIGNATURE);
        assertThat(message.content().get(1).asText().text()).isEqualTo("9.8 is greater.");
        assertThat(message.usage().outputTokens()).as("reasoning is in completion_tokens, as thinking is in output_tokens")
                .isEqualTo(31);
        assertThat(decoder.report().usage()).isEqualTo(new Usage(20, 31, 0, 0, 0, 0, 0, 0));
        assertThat(decoder.report().estimated()).isFalse();
    }

    @Test
    void reasoningBeforeAToolCallClosesWithItsSignatureBeforeTheToolUseOpens() {
        String sse = chunk("{\"role\":\"assistant\",\"reasoning\":\"I should read it.\"}", null) // Ollama's and OpenRouter's name
                + chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Read\","
                + "\"arguments\":\"{\\\"file_path\\\":\\\"/a\\\"}\"}}]}", null)
                + chunk("{}", "tool_calls") + USAGE;
        List<SseEvent> events = decode(new OpenAiDecoder(), sse);
        Message message = OpenAiFixtures.accumulate(events);
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("I should read it.");
        assertThat(message.content().get(1).asToolUse().name()).isEqualTo("Read");
        int signature = -1;
        int toolStart = -1;
        for (int i = 0; i < events.size(); i++) {
            String type = data(events.get(i)).at("/delta/type").asText(data(events.get(i)).at("/content_block/type").asText());
            signature = type.equals("signature_delta") ? i : signature;
            toolStart = type.equals("tool_use") ? i : toolStart;
        }
        assertThat(signature).isPositive().isLessThan(toolStart);
    }

    @Test
    void reasoningIsDroppedForAClientThatDidNotTurnThinkingOn() {
        String sse = chunk("{\"role\":\"assistant\",\"reasoning_content\":\"hidden\"}", null) + chunk("{\"content\":\"Hi\"}", null)
                + chunk("{}", "stop") + USAGE;
        List<SseEvent> events = decode(new OpenAiDecoder(null, false), sse);
        assertThat(events).extracting(SseEvent::type).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        String body = "{\"id\":\"c3\",\"model\":\"m\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\","
                + "\"reasoning_content\":\"hidden\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}";
        JsonNode message = read(new OpenAiDecoder(null, false).body(200, Buffer.buffer(body)).toString());
        assertThat(message.path("content").size()).isEqualTo(1);
        assertThat(message.at("/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void aStreamWithoutReasoningIsAsBefore() {
        String sse = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("{\"content\":\"Hi\"}", null)
                + chunk("{}", "stop") + USAGE;
        List<SseEvent> events = decode(new OpenAiDecoder(), sse);
        assertThat(events).extracting(SseEvent::type).containsExactly("message_start", "content_block_start",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    }

    @Test
    void aWholeAnswersReasoningIsItsFirstBlock() {
        String body = "{\"id\":\"c2\",\"object\":\"chat.completion\",\"model\":\"qwen3-32b\",\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"Done.\",\"reasoning_content\":\"Think first.\",\"tool_calls\":[{\"id\":\"call_9\","
                + "\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9,\"total_tokens\":14}}";
        OpenAiDecoder decoder = new OpenAiDecoder();
        JsonNode message = read(decoder.body(200, Buffer.buffer(body)).toString());
        assertThat(message.at("/content/0/type").asText()).isEqualTo("thinking");
        assertThat(message.at("/content/0/thinking").asText()).isEqualTo("Think first.");
        assertThat(message.at("/content/0/signature").asText()).isEqualTo(ForeignThinking.SIGNATURE);
        assertThat(message.at("/content/1/type").asText()).isEqualTo("text");
        assertThat(message.at("/content/2/type").asText()).isEqualTo("tool_use");
        assertThat(message.at("/usage/output_tokens").asInt()).isEqualTo(9);
    }
}
