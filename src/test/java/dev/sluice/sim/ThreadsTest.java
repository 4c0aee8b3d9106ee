package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Server-held threads: a continue builds on the conversation its key holds; other keys and second continues are refused. */
class ThreadsTest {
    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());
    private static final String BETA = "message-threads-2026-08-12";
    private static final String TOOLS = """
            [{"name":"get_weather","description":"Weather","input_schema":{"type":"object",
              "properties":{"city":{"type":"string"}},"required":["city"]}}]""";

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> post(String key, String body) {
        return sim.send(sim.request("/v1/messages").setHeader("x-api-key", key).header("anthropic-beta", BETA)
                .header("x-sim-tool", "get_weather;upto=2").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String toolResult(JsonNode answer) {
        String id = answer.at("/content/0/id").asText();
        return "[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"Sunny\"}]}]";
    }

    private static String continueBody(String previous, String messages) {
        return "{\"model\":\"m\",\"max_tokens\":200,\"thread\":{\"type\":\"continue\",\"previous_message_id\":\"" + previous
                + "\"},\"messages\":" + messages + "}";
    }

    @Test
    void aContinueSeesTheWholeConversationOnlyOnTheKeyThatHoldsIt() {
        JsonNode first = json(post("sk-ant-a", """
                {"model":"m","max_tokens":200,"thread":{"type":"create"},"tools":%s,
                 "messages":[{"role":"user","content":"Weather twice?"}]}""".formatted(TOOLS)).body());
        assertThat(first.path("stop_reason").asText()).isEqualTo("tool_use");

        // Another account does not hold it.
        HttpResponse<String> elsewhere = post("sk-ant-b", continueBody(first.path("id").asText(), toolResult(first)));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(json(elsewhere.body()).at("/error/details/error_code").asText()).isEqualTo("thread_not_found");

        // The holding key: the tools and the first result come from the thread, so the model calls again (upto=2)...
        JsonNode second = json(post("sk-ant-a", continueBody(first.path("id").asText(), toolResult(first))).body());
        assertThat(second.path("stop_reason").asText()).as(second.toString()).isEqualTo("tool_use");
        // ...and then answers, having seen two results.
        JsonNode third = json(post("sk-ant-a", continueBody(second.path("id").asText(), toolResult(second))).body());
        assertThat(third.path("stop_reason").asText()).isEqualTo("end_turn");

        // An answer is continued once.
        HttpResponse<String> again = post("sk-ant-a", continueBody(first.path("id").asText(), toolResult(first)));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again.body()).at("/error/details/error_code").asText()).isEqualTo("thread_already_continued");
    }
}
