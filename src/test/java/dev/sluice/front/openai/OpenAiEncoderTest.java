package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's output judged by the official openai-java SDK's own types and stream accumulator. */
class OpenAiEncoderTest {
    private static List<SseEvent> canonicalToolStream() throws Exception {
        try (InputStream in = OpenAiEncoderTest.class.getResourceAsStream("/providers/bedrock/stream-tool-use.jsonl")) {
            List<SseEvent> events = new ArrayList<>();
            events.add(CanonicalEvents.of("ping", "{\"type\":\"ping\"}"));
            for (String line : new String(in.readAllBytes()).strip().split("\n")) {
                String type = line.substring(9, line.indexOf('"', 9));
                events.add(CanonicalEvents.of(type, line));
            }
            return events;
        }
    }

    /** The data payloads of an encoder's output. */
    private static List<String> dataLines(Buffer out) {
        List<String> lines = new ArrayList<>();
        for (String frame : out.toString().split("\n\n")) {
            if (!frame.isBlank()) {
                assertThat(frame).startsWith("data: ");
                lines.add(frame.substring(6));
            }
        }
        return lines;
    }

    @Test
    void streamAccumulatesInTheSdkWithToolCallsAndUsage() throws Exception {
        OpenAiEncoder encoder = new OpenAiEncoder("claude-sonnet-4-5", true, 1764412800L);
        Buffer out = Buffer.buffer();
        for (SseEvent e : canonicalToolStream()) {
            out.appendBuffer(encoder.events(List.of(e))); // one event at a time, as the relay hands them over
        }
        List<String> lines = dataLines(out);
        assertThat(lines.getLast()).isEqualTo("[DONE]");
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        for (String line : lines.subList(0, lines.size() - 1)) {
            acc.accumulate(ObjectMappers.jsonMapper().readValue(line, ChatCompletionChunk.class));
        }
        ChatCompletion c = acc.chatCompletion();
        assertThat(c.id()).isEqualTo("chatcmpl-bdrk_01Hq8kV3yXbV2cQ7dKzW5n3L");
        assertThat(c.model()).as("the model that served (message_start's), not the name asked for").isEqualTo("claude-sonnet-4-5-20250929");
        var choice = c.choices().getFirst();
        assertThat(choice.message().content()).contains("I'll read the file.");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        var call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).isEqualTo("toolu_bdrk_01WbQ9");
        assertThat(call.function().name()).isEqualTo("Read");
        assertThat(call.function().arguments()).isEqualTo("{\"file_path\": \"/tmp/a.txt\"}");
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(12 + 2048 + 15360);
        assertThat(usage.completionTokens()).isEqualTo(57);
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(15360L);
    }

    @Test
    void withoutIncludeUsageTheLastChunkIsTheFinish() throws Exception {
        OpenAiEncoder encoder = new OpenAiEncoder("m", false, 1L);
        List<String> lines = dataLines(encoder.events(canonicalToolStream()));
        assertThat(lines.get(lines.size() - 2)).contains("\"finish_reason\":\"tool_calls\"").doesNotContain("usage");
        assertThat(encoder.events(List.of(CanonicalEvents.of("ping", "{}"))).length()).isZero();
    }

    @Test
    void errorEventInOpenAiShape() {
        OpenAiEncoder encoder = new OpenAiEncoder("m", true, 1L);
        String out = encoder.events(List.of(CanonicalEvents.of("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))).toString();
        assertThat(out).isEqualTo("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,"
                + "\"code\":\"server_overloaded\"}}\n\n");
    }

    @Test
    void bodyIsAChatCompletionTheSdkReads() throws Exception {
        byte[] message;
        try (InputStream in = getClass().getResourceAsStream("/providers/bedrock/invoke-response.json")) {
            message = in.readAllBytes();
        }
        OpenAiEncoder encoder = new OpenAiEncoder("claude-sonnet-4-5", false, 1764412800L);
        ChatCompletion c = ObjectMappers.jsonMapper().readValue(encoder.body(200, Buffer.buffer(message)).getBytes(), ChatCompletion.class);
        c.validate();
        assertThat(c.choices().getFirst().message().content()).contains("Hello! How can I help?");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(4106);
        assertThat(c.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(4096L);
        assertThat(encoder.contentType(false)).isEqualTo("application/json");
    }

    @Test
    void errorsAndModelsInOpenAiShape() throws Exception {
        OpenAiEncoder encoder = new OpenAiEncoder("m", false, 1L);
        String err = encoder.body(429, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"billing_error\",\"message\":\"spend limit reached\"}}")).toString();
        assertThat(err).isEqualTo("{\"error\":{\"message\":\"spend limit reached\",\"type\":\"billing_error\",\"param\":null,\"code\":\"insufficient_quota\"}}");
        String models = new String(OpenAiModels.fromAnthropic(("{\"data\":[{\"type\":\"model\",\"id\":\"claude-opus-4-5-20251101\","
                + "\"display_name\":\"Claude Opus 4.5\",\"created_at\":\"2025-11-24T00:00:00Z\"}],\"has_more\":false}").getBytes()));
        var page = ObjectMappers.jsonMapper().readTree(models);
        assertThat(page.get("object").asText()).isEqualTo("list");
        assertThat(page.at("/data/0/id").asText()).isEqualTo("claude-opus-4-5-20251101");
        assertThat(page.at("/data/0/created").asLong()).isEqualTo(1763942400L);
        ObjectMappers.jsonMapper().readValue(page.at("/data/0").toString(), com.openai.models.models.Model.class).validate();
    }

    @Test
    void anIdFromAnOpenAiUpstreamIsNotPrefixedTwice() {
        assertThat(OpenAiEncoder.chatId("msg_01abc")).isEqualTo("chatcmpl-01abc");
        assertThat(OpenAiEncoder.chatId("msg_chatcmpl-9x")).isEqualTo("chatcmpl-9x");
        assertThat(OpenAiEncoder.chatId("chatcmpl-9x")).isEqualTo("chatcmpl-9x");
    }
}
