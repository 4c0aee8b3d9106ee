package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The simulated OpenAI-protocol endpoint applies the reasoning rules of the servers it plays, by model name. */
class OpenAiReasoningSimTest {
    private static final SimHarness sim = SimHarness.start(SimOptions.defaults().withInstances(1));

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> chat(String body) {
        return sim.post("/v1/chat/completions", body, "authorization", "Bearer sk-sim");
    }

    private static void refused(HttpResponse<String> r, String words) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).at("/error/message").asText()).contains(words);
    }

    @Test
    void aModelWithoutReasoningRefusesAnEffortAndAReasoningModelRefusesMaxTokens() {
        HttpResponse<String> r = chat("{\"model\":\"gpt-4.1\",\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        refused(r, "Unsupported parameter: 'reasoning_effort' is not supported with this model.");
        assertThat(json(r.body()).at("/error/code").asText()).isEqualTo("unsupported_parameter");
        refused(chat("{\"model\":\"o3\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "max_completion_tokens");
        refused(chat("{\"model\":\"gpt-5\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                "'temperature' does not support 0 with this model");
        assertThat(chat("{\"model\":\"gpt-5\",\"temperature\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                .isEqualTo(200);
        assertThat(chat("{\"model\":\"o3\",\"reasoning_effort\":\"low\",\"max_completion_tokens\":4000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
    }

    @Test
    void aModelThatShowsItsReasoningSendsItAsReasoningContentStreamedAndWhole() {
        HttpResponse<String> whole = chat("{\"model\":\"deepseek-v4-pro\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        JsonNode message = json(whole.body()).at("/choices/0/message");
        assertThat(message.path("reasoning_content").asText()).isNotBlank();
        assertThat(message.path("content").asText()).isNotBlank();
        HttpResponse<String> stream = chat("{\"model\":\"qwen3-32b\",\"max_tokens\":200,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        int reasoning = stream.body().indexOf("\"reasoning_content\"");
        assertThat(reasoning).as(stream.body()).isPositive().isLessThan(stream.body().indexOf("\"content\":\"", reasoning));
        assertThat(chat("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body())
                .doesNotContain("reasoning_content");
    }

    @Test
    void deepSeeksRulesOnReasoningSentBack() {
        String loop = "{\"model\":\"MODEL\",\"messages\":[{\"role\":\"user\",\"content\":\"read\"},{\"role\":\"assistant\",\"content\":null,"
                + "REASONING\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"Read\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"ok\"}]}";
        String with = "\"reasoning_content\":\"I read it.\",";
        refused(chat(loop.replace("MODEL", "deepseek-v4-pro").replace("REASONING", "")), "reasoning_content in the thinking mode must be passed back");
        assertThat(chat(loop.replace("MODEL", "deepseek-v4-pro").replace("REASONING", with)).statusCode()).isEqualTo(200);
        refused(chat(loop.replace("MODEL", "deepseek-reasoner").replace("REASONING", with)), "reasoning_content is not accepted");
        assertThat(chat(loop.replace("MODEL", "deepseek-reasoner").replace("REASONING", "")).statusCode()).isEqualTo(200);
    }

    @Test
    void aThinkingSignatureThatIsNotBase64IsRefusedAtTheMessagesApi() {
        String body = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"SIG\"},{\"type\":\"text\",\"text\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":\"q2\"}]}";
        refused(sim.post("/v1/messages", body.replace("SIG", "sluice:reasoning:v1")), "messages.1.content.0: Invalid `signature` in `thinking` block");
        assertThat(sim.post("/v1/messages", body.replace("SIG", "EqQBCkgIARAB+/=")).statusCode()).isEqualTo(200);
    }
}
