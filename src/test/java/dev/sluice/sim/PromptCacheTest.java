package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PromptCacheTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());
    private static final String EPHEMERAL = "{\"type\":\"ephemeral\"}";

    /** 4,800 ASCII bytes: 1,200 tokens, above the 1,024 minimum. */
    private static String bigText(String seed) {
        return (seed + " ").repeat(4_800 / (seed.length() + 1) + 1).substring(0, 4_800);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static JsonNode usage(String key, String body) {
        HttpRequest request = sim.request("/v1/messages").setHeader("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        JsonNode message = json(sim.send(request).body());
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("message");
        return message.path("usage");
    }

    private static String systemCached(String text, String ttl, String userText) {
        String cacheControl = ttl == null ? "{\"type\":\"ephemeral\"}" : "{\"type\":\"ephemeral\",\"ttl\":\"" + ttl + "\"}";
        return """
                {"model":"m","max_tokens":10,"system":[{"type":"text","text":"%s","cache_control":%s}],
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(text, cacheControl, userText);
    }

    @Test
    void firstCallWritesSecondReadsAndAnotherKeyMisses() {
        String body = systemCached(bigText("alpha"), null, "hi");

        JsonNode first = usage("key-a", body);
        assertThat(first.path("cache_creation_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(first.path("cache_creation").path("ephemeral_5m_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(first.path("cache_creation").path("ephemeral_1h_input_tokens").asInt()).isZero();
        assertThat(first.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(first.path("input_tokens").asInt()).isEqualTo(1);

        JsonNode second = usage("key-a", body);
        assertThat(second.path("cache_read_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(second.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(second.path("input_tokens").asInt()).isEqualTo(1);

        JsonNode otherKey = usage("key-b", body);
        assertThat(otherKey.path("cache_read_input_tokens").asInt()).isZero();
        assertThat(otherKey.path("cache_creation_input_tokens").asInt()).isEqualTo(1_200);
    }

    @Test
    void oneHourBreakpointsFillTheOneHourBucket() {
        JsonNode usage = usage("key-1h", systemCached(bigText("beta"), "1h", "hi"));
        assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asInt()).isZero();
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isEqualTo(1_200);
    }

    @Test
    void prefixesBelowTheMinimumAreNotCached() {
        JsonNode usage = usage("key-small", systemCached("short system prompt", null, "hi"));
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isZero();
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(Tokenizer.count("short system prompt") + 1);
    }

    @Test
    void growingConversationReadsThePreviousPrefixAndWritesOnlyTheNewPart() {
        String system = bigText("gamma");
        String turnOne = """
                {"model":"m","max_tokens":10,"system":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral"}}]}]}"""
                .formatted(system, "q1 ".repeat(100));
        JsonNode one = usage("key-conv", turnOne);
        assertThat(one.path("cache_creation").path("ephemeral_1h_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(one.path("cache_creation").path("ephemeral_5m_input_tokens").asInt()).isEqualTo(75);

        String turnTwo = """
                {"model":"m","max_tokens":10,"system":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"1h"}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"%s"}]},
                   {"role":"assistant","content":"a1 a1 a1 a1"},
                   {"role":"user","content":[{"type":"text","text":"q2 q2 q2 q2","cache_control":{"type":"ephemeral"}}]}]}"""
                .formatted(system, "q1 ".repeat(100));
        JsonNode two = usage("key-conv", turnTwo);
        // reads system + first user turn (1,275); writes the assistant turn and new question (3 + 3)
        assertThat(two.path("cache_read_input_tokens").asInt()).isEqualTo(1_275);
        assertThat(two.path("cache_creation_input_tokens").asInt()).isEqualTo(6);
        assertThat(two.path("input_tokens").asInt()).isZero();
    }

    @Test
    void topLevelCacheControlIsAnAutomaticBreakpointOnTheLastBlock() {
        String body = """
                {"model":"m","max_tokens":10,"cache_control":{"type":"ephemeral"},
                 "messages":[{"role":"user","content":"%s"}]}""".formatted(bigText("delta"));
        assertThat(usage("key-auto", body).path("cache_creation_input_tokens").asInt()).isEqualTo(1_200);
        assertThat(usage("key-auto", body).path("cache_read_input_tokens").asInt()).isEqualTo(1_200);
    }

    @Test
    void aDifferentModelDoesNotShareTheCache() {
        String body = systemCached(bigText("epsilon"), null, "hi");
        usage("key-model", body);
        JsonNode otherModel = usage("key-model", body.replace("\"model\":\"m\"", "\"model\":\"other\""));
        assertThat(otherModel.path("cache_read_input_tokens").asInt()).isZero();
    }

    @Test
    void moreThanFourBreakpointsIsRejected() {
        StringBuilder blocks = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            blocks.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"text\":\"b").append(i)
                    .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}");
        }
        String body = "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[" + blocks + "]}]}";
        var response = sim.post("/v1/messages", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).path("error").path("message").asText()).contains("Found 5");
    }

    // The read looks back about 20 blocks from each breakpoint, as the real API does: a conversation whose only
    // breakpoint moved more than 20 blocks past the one the previous request wrote misses it, and a breakpoint on the
    // previous request's place finds it (why the OpenAI door's automatic placement marks the two newest user turns).

    /** System (1,200 tokens, marked), a first question (marked when asked), {@code rounds} tool rounds, a last question. */
    private static String conversation(String system, boolean markFirst, int rounds) {
        StringBuilder messages = new StringBuilder("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + "q1 ".repeat(100)
                + "\"" + (markFirst ? ",\"cache_control\":" + EPHEMERAL : "") + "}]}");
        for (int i = 0; i < rounds; i++) {
            messages.append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t").append(i)
                    .append("\",\"name\":\"read\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",")
                    .append("\"tool_use_id\":\"t").append(i).append("\",\"content\":\"ok\"}]}");
        }
        if (rounds > 0) {
            messages.append(",{\"role\":\"assistant\",\"content\":\"done\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",")
                    .append("\"text\":\"q2\",\"cache_control\":").append(EPHEMERAL).append("}]}");
        }
        return "{\"model\":\"m\",\"max_tokens\":10,\"system\":[{\"type\":\"text\",\"text\":\"" + system + "\",\"cache_control\":"
                + EPHEMERAL + "}],\"messages\":[" + messages + "]}";
    }

    @Test
    void aPrefixMoreThanTwentyBlocksBeforeTheOnlyLaterBreakpointIsNotFound() {
        String system = "delta ".repeat(800);
        JsonNode first = usage("key-lookback", conversation(system, true, 0));
        assertThat(first.path("cache_creation_input_tokens").asInt()).isEqualTo(1_275);
        // 12 tool rounds: 26 blocks between the first question and the new breakpoint; the system's own still reads.
        JsonNode missed = usage("key-lookback", conversation(system, false, 12));
        assertThat(missed.path("cache_read_input_tokens").asInt()).isEqualTo(1_200);
    }

    @Test
    void aBreakpointWhereThePreviousRequestHadOneFindsIt() {
        String system = "epsilon ".repeat(600);
        usage("key-lookback-2", conversation(system, true, 0));
        JsonNode read = usage("key-lookback-2", conversation(system, true, 12));
        assertThat(read.path("cache_read_input_tokens").asInt()).isEqualTo(1_275);
    }
}
