package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The simulator refuses what the real API refuses with thinking on, so gateways mapping onto it are held to it. */
class ThinkingRulesTest {
    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String body(int maxTokens, int budget, String extra, String messages) {
        return "{\"model\":\"m\",\"max_tokens\":" + maxTokens + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "}"
                + extra + ",\"messages\":" + messages + "}";
    }

    private static final String ASK = "[{\"role\":\"user\",\"content\":\"think\"}]";

    private static void refused(HttpResponse<String> r, String words) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).at("/error/message").asText()).contains(words);
    }

    @Test
    void budgetAndMaxTokensAreHeldToTheApisBounds() {
        refused(sim.post("/v1/messages", body(2048, 512, "", ASK)), "greater than or equal to 1024");
        refused(sim.post("/v1/messages", body(2048, 2048, "", ASK)), "`max_tokens` must be greater than `thinking.budget_tokens`");
        assertThat(sim.post("/v1/messages", body(2049, 2048, "", ASK)).statusCode()).isEqualTo(200);
    }

    @Test
    void samplingAndAForcedToolAreRefusedWithThinking() {
        refused(sim.post("/v1/messages", body(4096, 1024, ",\"temperature\":0.2", ASK)), "`temperature` may only be set to 1");
        refused(sim.post("/v1/messages", body(4096, 1024, ",\"top_k\":5", ASK)), "`top_k` must be unset");
        refused(sim.post("/v1/messages", body(4096, 1024, ",\"top_p\":0.5", ASK)), "`top_p`");
        refused(sim.post("/v1/messages", body(4096, 1024, ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":{\"type\":\"any\"}", ASK)), "tool_choice forces tool use");
        assertThat(sim.post("/v1/messages", body(4096, 1024, ",\"temperature\":1", ASK)).statusCode()).isEqualTo(200);
    }

    @Test
    void aToolLoopWithoutItsThinkingBlockIsRefusedWhenStrict() {
        String loop = "[{\"role\":\"user\",\"content\":\"read it\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
                + "\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_1\",\"content\":\"ok\"}]}]";
        String withThinking = loop.replace("\"content\":[{\"type\":\"tool_use\"",
                "\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"sig\"},{\"type\":\"tool_use\"");
        String tools = ",\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]";
        refused(sim.post("/v1/messages", body(4096, 1024, tools, loop), SimHeaders.THINKING_LOOP, "strict"),
                "Expected `thinking` or `redacted_thinking`, but found `tool_use`");
        refused(sim.post("/v1/messages", body(4096, 1024, tools, withThinking.replace("\"sig\"", "\"\"")), SimHeaders.THINKING_LOOP,
                "strict"), "signature");
        assertThat(sim.post("/v1/messages", body(4096, 1024, tools, withThinking), SimHeaders.THINKING_LOOP, "strict").statusCode())
                .isEqualTo(200);
        assertThat(sim.post("/v1/messages", body(4096, 1024, tools, loop)).statusCode()).isEqualTo(200); // not asked: lenient
    }
}
