package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A silent upstream behind the OpenAI doors: the gateway's keep-alive reaches the client as an SSE comment (an OpenAI
 * stream has no ping event; before, the doors sent nothing and a proxy's idle timeout could cut a slow first token),
 * and the official SDK reads the stream around it.
 */
class OpenAiKeepAliveTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
            streaming:
              ping-interval: 200ms
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpResponse<String> stream(String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aSlowFirstTokenIsBridgedByCommentsOnBothDoors() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-ttft-ms", "1000"));
        String chat = stream("/v1/chat/completions", "{\"model\":\"" + SluiceHarness.MODEL + "\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
        assertThat(chat.substring(0, chat.indexOf("\"delta\":{\"content\""))).as(chat).contains(": ping\n\n"); // the head went first
        assertThat(chat).endsWith("data: [DONE]\n\n");
        String responses = stream("/v1/responses", "{\"model\":\"" + SluiceHarness.MODEL + "\",\"stream\":true,"
                + "\"store\":false,\"input\":\"hi\"}").body();
        assertThat(responses).as(responses).contains(": ping\n\n").contains("event: response.completed");
        assertThat(responses.substring(responses.lastIndexOf("event: response.completed"))).doesNotContain(": ping");
    }

    @Test
    void theSdkReadsAStreamWithKeepAlives() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-ttft-ms", "700"));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(SLUICE.gatewayUrl() + "/v1")
                .apiKey(SluiceHarness.GATEWAY_KEY).maxRetries(0).build();
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model(SluiceHarness.MODEL).maxCompletionTokens(50)
                        .addUserMessage("say something").build())) {
            s.stream().forEach(acc::accumulate);
        }
        assertThat(acc.chatCompletion().choices().getFirst().message().content()).isPresent().get().asString().isNotBlank();
    }
}
