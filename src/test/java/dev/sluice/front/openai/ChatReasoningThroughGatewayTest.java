package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code reasoning_effort} at the chat door through the real gateway to the simulator: thinking on the canonical body,
 * the thinking text as {@code reasoning_content} whole and streamed, a tool loop continued without thinking (the
 * simulator refuses, as Anthropic does, a loop without its thinking block), and an OpenAI upstream given the client's
 * own effort.
 */
class ChatReasoningThroughGatewayTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
              - {match: "gpt-*", upstream: openai}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpResponse<String> post(String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String chat(String model, boolean stream, String messages) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"reasoning_effort\":\"medium\",\"messages\":" + messages
                + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}";
    }

    private static final String ASK = "[{\"role\":\"user\",\"content\":\"Weather in Lisbon?\"}]";

    @Test
    void theThinkingTextIsReasoningContentWholeAndStreamed() {
        HttpResponse<String> whole = post(chat(SluiceHarness.MODEL, false, ASK));
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/thinking/budget_tokens").asInt()).isEqualTo(8192);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(8192 + 8192);
        JsonNode message = Http.json(whole.body()).at("/choices/0/message");
        assertThat(message.path("reasoning_content").asText()).isNotBlank();
        assertThat(message.path("content").asText()).isNotBlank().doesNotContain(message.path("reasoning_content").asText());

        HttpResponse<String> stream = post(chat(SluiceHarness.MODEL, true, ASK));
        assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        for (String frame : stream.body().split("\n\n")) {
            String data = frame.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                JsonNode delta = Http.json(data).at("/choices/0/delta");
                reasoning.append(delta.path("reasoning_content").asText(""));
                content.append(delta.path("content").asText(""));
            }
        }
        assertThat(reasoning.toString()).isNotBlank();
        assertThat(content.toString()).isNotBlank();
    }

    @Test
    void aToolLoopGoesOnWithoutThinkingSinceTheSignedBlockCannotComeBack() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once", "x-sim-thinking-loop", "strict"));
        HttpResponse<String> first = post(chat(SluiceHarness.MODEL, false, ASK));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode message = Http.json(first.body()).at("/choices/0/message");
        JsonNode call = message.at("/tool_calls/0");
        String loop = "[{\"role\":\"user\",\"content\":\"Weather in Lisbon?\"},{\"role\":\"assistant\",\"content\":null,"
                + "\"reasoning_content\":" + message.path("reasoning_content") + ",\"tool_calls\":[" + call + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":" + call.path("id") + ",\"content\":\"18C and sunny\"}]";
        HttpResponse<String> second = post(chat(SluiceHarness.MODEL, false, loop));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.has("thinking")).isFalse();
        assertThat(Http.json(second.body()).at("/choices/0/message/content").asText()).contains("18C and sunny");
    }

    @Test
    void anOpenAiUpstreamGetsTheClientsOwnEffort() {
        HttpResponse<String> r = post(chat("gpt-5", false, ASK).replace("\"medium\"", "\"minimal\""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.path("reasoning_effort").asText()).isEqualTo("minimal");
    }
}
