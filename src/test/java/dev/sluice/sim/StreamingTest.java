package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.events;
import static dev.sluice.sim.SimHarness.names;
import static dev.sluice.sim.SimHarness.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.SimHarness.Event;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class StreamingTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void textStreamFollowsTheRealEventOrder() {
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("Hello there", true),
                SimHeaders.OUTPUT_TOKENS, "6");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<Event> events = events(response.body());
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        expected.addAll(Collections.nCopies(6, "content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertThat(names(events)).containsExactlyElementsOf(expected);
        for (Event event : events) {
            assertThat(event.data().path("type").asText()).as("data.type of " + event.name()).isEqualTo(event.name());
        }

        JsonNode started = events.get(0).data().path("message");
        assertThat(started.path("id").asText()).startsWith("msg_");
        assertThat(started.path("content")).isEmpty();
        assertThat(started.get("stop_reason").isNull()).isTrue();
        assertThat(started.path("usage").path("input_tokens").asInt()).isEqualTo(3);
        assertThat(started.path("usage").path("output_tokens").asInt()).isEqualTo(1);
        assertThat(started.path("usage").has("cache_read_input_tokens")).isTrue();
        assertThat(started.path("usage").has("cache_creation_input_tokens")).isTrue();

        assertThat(events.get(1).data().path("content_block").path("type").asText()).isEqualTo("text");
        StringBuilder text = new StringBuilder();
        for (Event delta : events.subList(3, 9)) {
            assertThat(delta.data().path("delta").path("type").asText()).isEqualTo("text_delta");
            text.append(delta.data().path("delta").path("text").asText());
        }
        assertThat(Tokenizer.count(text.toString())).isEqualTo(6);

        JsonNode messageDelta = events.get(10).data();
        assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(messageDelta.path("delta").get("stop_sequence").isNull()).isTrue();
        assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(6);
        assertThat(messageDelta.path("usage").path("input_tokens").asInt()).isEqualTo(3);

        BilledUsage billed = sim.awaitBilled(b -> started.path("id").asText().equals(b.messageId()));
        assertThat(billed.stream()).isTrue();
        assertThat(billed.outputTokens()).isEqualTo(6);
        assertThat(billed.cut()).isFalse();
    }

    @Test
    void adaptiveThinkingStreamsAThinkingBlockWithSignatureFirst() {
        String body = """
                {"model":"m","max_tokens":100,"stream":true,"thinking":{"type":"adaptive"},
                 "messages":[{"role":"user","content":"think first"}]}""";
        List<Event> events = events(sim.post("/v1/messages", body, SimHeaders.OUTPUT_TOKENS, "8").body());

        assertThat(events.get(1).data().path("content_block").path("type").asText()).isEqualTo("thinking");
        List<String> blockZeroDeltas = events.stream()
                .filter(e -> e.name().equals("content_block_delta") && e.data().path("index").asInt() == 0)
                .map(e -> e.data().path("delta").path("type").asText()).toList();
        assertThat(blockZeroDeltas).containsExactly("thinking_delta", "thinking_delta", "signature_delta");
        Event textStart = events.stream()
                .filter(e -> e.name().equals("content_block_start") && e.data().path("index").asInt() == 1)
                .findFirst().orElseThrow();
        assertThat(textStart.data().path("content_block").path("type").asText()).isEqualTo("text");
        long textDeltas = events.stream()
                .filter(e -> e.name().equals("content_block_delta") && e.data().path("index").asInt() == 1).count();
        assertThat(textDeltas).isEqualTo(6);
        assertThat(events.get(events.size() - 2).data().path("usage").path("output_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void tokensPerSecondPacesTheStream() {
        long start = System.nanoTime();
        HttpResponse<String> response = sim.post("/v1/messages", userMessage("pace me", true),
                SimHeaders.OUTPUT_TOKENS, "11", SimHeaders.TOKENS_PER_SECOND, "50", SimHeaders.TTFT_MS, "100");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(events(response.body())).hasSize(3 + 11 + 3);
        // ttft 100 ms + 10 gaps of 20 ms between 11 tokens = 300 ms. Pacing can only make it later, and a
        // busy CI machine can make it a lot later; what must never happen is the stream arriving at once.
        assertThat(elapsedMillis).isBetween(290L, 15_000L);
    }
}
