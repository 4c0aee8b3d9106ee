package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseReasoningItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Thinking blocks as Responses reasoning items, whole and streamed, judged by the openai-java SDK's types. */
class ResponsesReasoningEncoderTest {
    private static final byte[] CODEX = ("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"high\",\"summary\":\"auto\"},"
            + "\"include\":[\"reasoning.encrypted_content\"]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAIN = "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"high\"}}".getBytes(StandardCharsets.UTF_8);

    private static ResponsesEncoder encoder(byte[] request) {
        return new ResponsesEncoder("claude-sonnet-4-5", 1764412800L, ResponseEcho.of(request, request.length));
    }

    private static SseEvent event(String json) {
        return CanonicalEvents.of(json.substring(9, json.indexOf('"', 9)), json);
    }

    private static List<SseEvent> thinkingStream() {
        return List.of(event("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01R\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}"),
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me \"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"think.\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBsig\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0}"),
                event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":1}"),
                event("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello.\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":2}"),
                event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":40}}"),
                event("{\"type\":\"message_stop\"}"));
    }

    private static List<JsonNode> frames(Buffer out) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        for (String frame : out.toString().split("\n\n")) {
            if (!frame.isBlank()) {
                frames.add(Json.MAPPER.readTree(frame.split("\n")[1].substring("data: ".length())));
            }
        }
        return frames;
    }

    @Test
    void aStreamedThinkingBlockIsAReasoningItemWithItsSummaryEventsAndSealedBlock() throws Exception {
        List<JsonNode> frames = frames(encoder(CODEX).events(thinkingStream()));
        List<String> types = frames.stream().map(f -> f.path("type").asText()).toList();
        assertThat(types.subList(0, 9)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done", "response.output_item.done");
        assertThat(frames.get(2).at("/item/type").asText()).isEqualTo("reasoning");
        assertThat(frames.get(6).path("text").asText()).isEqualTo("Let me think.");
        ResponseAccumulator acc = ResponseAccumulator.createWithSnapshots();
        for (JsonNode f : frames) {
            ResponseStreamEvent e = ObjectMappers.jsonMapper().readValue(f.toString(), ResponseStreamEvent.class);
            e.validate();
            acc.accumulate(e);
        }
        Response done = acc.response();
        done.validate();
        ResponseReasoningItem thinking = done.output().get(0).reasoning().orElseThrow();
        assertThat(thinking.summary().getFirst().text()).isEqualTo("Let me think.");
        assertThat(ReasoningSeal.open(thinking.encryptedContent().orElseThrow(), null).toString())
                .isEqualTo("{\"type\":\"thinking\",\"thinking\":\"Let me think.\",\"signature\":\"EqQBsig\"}");
        ResponseReasoningItem redacted = done.output().get(1).reasoning().orElseThrow();
        assertThat(redacted.summary()).isEmpty();
        assertThat(ReasoningSeal.open(redacted.encryptedContent().orElseThrow(), null).toString())
                .isEqualTo("{\"type\":\"redacted_thinking\",\"data\":\"opaque\"}");
        assertThat(done.output().get(2).message().orElseThrow().content().getFirst().outputText().orElseThrow().text()).isEqualTo("Hello.");
        // Anthropic does not split thinking out of output_tokens: reasoning_tokens stays 0 rather than a guess.
        assertThat(done.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isZero();
        // The rebuilt answer, sent back next turn, opens to the same blocks.
        assertThat(acc.reconstructedResponse().output().get(0).reasoning().orElseThrow().summary().getFirst().text()).isEqualTo("Let me think.");
    }

    @Test
    void withoutSummaryOrIncludeTheItemSaysOnlyThatThereWasReasoning() throws Exception {
        List<JsonNode> frames = frames(encoder(PLAIN).events(thinkingStream()));
        assertThat(frames.stream().map(f -> f.path("type").asText())).noneMatch(t -> t.startsWith("response.reasoning_summary"));
        JsonNode item = frames.getLast().at("/response/output/0");
        assertThat(item.path("type").asText()).isEqualTo("reasoning");
        assertThat(item.path("summary").size()).isZero();
        assertThat(item.has("encrypted_content")).isFalse();
        assertThat(frames.getLast().toString()).doesNotContain("Let me think.");
    }

    @Test
    void aWholeAnswersThinkingBlocksAreReasoningItems() throws Exception {
        String message = "{\"id\":\"msg_01W\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":["
                + "{\"type\":\"thinking\",\"thinking\":\"Check the file.\",\"signature\":\"sig1\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":5,\"output_tokens\":9}}";
        Response r = ObjectMappers.jsonMapper().readValue(encoder(CODEX).body(200, Buffer.buffer(message)).getBytes(), Response.class);
        r.validate();
        ResponseReasoningItem item = r.output().get(0).reasoning().orElseThrow();
        assertThat(item.id()).isEqualTo("rs_01W_0");
        assertThat(item.summary().getFirst().text()).isEqualTo("Check the file.");
        assertThat(ReasoningSeal.open(item.encryptedContent().orElseThrow(), null).path("signature").asText()).isEqualTo("sig1");
        assertThat(r.output().get(1).functionCall().orElseThrow().callId()).isEqualTo("toolu_1");
    }

    @Test
    void aThinkingBlockCutBeforeItsSignatureIsNotSealed() throws Exception {
        List<SseEvent> cut = new ArrayList<>(thinkingStream().subList(0, 4));
        cut.add(event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":3}}"));
        cut.add(event("{\"type\":\"message_stop\"}"));
        JsonNode item = frames(encoder(CODEX).events(cut)).getLast().at("/response/output/0");
        assertThat(item.path("status").asText()).isEqualTo("incomplete");
        assertThat(item.get("encrypted_content").isNull()).isTrue();
    }
}
