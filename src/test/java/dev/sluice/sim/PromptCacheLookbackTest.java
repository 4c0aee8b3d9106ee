package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's read looks back about 20 blocks from each breakpoint, as the real API does: a conversation whose
 * only breakpoint moved more than 20 blocks past the one the previous request wrote misses it, and a breakpoint on the
 * previous request's place finds it (why the OpenAI door's automatic placement marks the two newest user turns).
 */
class PromptCacheLookbackTest {
    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());
    private static final String EPHEMERAL = "{\"type\":\"ephemeral\"}";

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
