package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.events;
import static dev.sluice.sim.SimHarness.json;
import static dev.sluice.sim.SimHarness.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CannedModeTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults().withCanned(true));

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void nonStreamIsAFixedFiveTokenMessageEchoingTheModel() {
        String body = "{\"model\": \"claude-opus-4-6\", \"max_tokens\": 9, \"messages\": []}";
        JsonNode message = json(sim.post("/v1/messages", body).body());

        assertThat(message.path("model").asText()).isEqualTo("claude-opus-4-6");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo("The sim ran one big");
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(message.path("usage").path("input_tokens").asInt()).isEqualTo(Tokenizer.ofBytes(body.length()));
    }

    @Test
    void streamFlagIsFoundWithoutParsing() {
        HttpResponse<String> response = sim.post("/v1/messages", "{\"stream\" : true, \"model\":\"x\"}");
        assertThat(names(events(response.body()))).containsExactly("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events(response.body()).getFirst().data().path("message").path("model").asText()).isEqualTo("x");
    }

    @Test
    void authAndFaultsStillApply() {
        assertThat(sim.post("/v1/messages", "{}", SimHeaders.FAULT, "429").statusCode()).isEqualTo(429);
        assertThat(json(sim.post("/v1/messages", "{}").body()).path("model").asText())
                .isEqualTo(CannedReply.FALLBACK_MODEL);
    }

    @Test
    void byteSearchHelpers() {
        byte[] body = "{\"a\":{\"model\" :\t\"m-1\"},\"stream\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(CannedReply.stringField(body, "model")).isEqualTo("m-1");
        assertThat(CannedReply.isStream(body)).isFalse();
        assertThat(CannedReply.isStream("{\"stream\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
        assertThat(CannedReply.stringField("{\"model\":42}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "model"))
                .isNull();
    }
}
