package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack round 41: with a policy that redacts, a token used as a tool call's id went upstream as
 * {@code [REDACTED:github-token:...]}, which no provider takes as an id ({@code ^[a-zA-Z0-9_-]+$}). Now both sides of the
 * pair carry the same id-shaped value ({@code toolu_sluice_<hash>}), through the Anthropic door and the OpenAI door
 * (tool_calls[].id and tool_call_id), the same on every turn, and nothing of the token goes upstream.
 */
class ToolIdRedactionTest {
    private static final String REDACTING_KEY = "sk-sluice-second-key-0000000001";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}", "%s"]}
            """.formatted(REDACTING_KEY) + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              actions: {secret: block}
              policies:
                - match: {key: "config key 2"}
                  actions: {secret: redact}
            """);

    private static final FakeSecrets FAKE = new FakeSecrets(41);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");

    private static JsonNode sent() {
        return Http.json(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8));
    }

    @Test
    void aTokenAsAToolUseIdIsReplacedByOneIdOnBothSidesOnTheAnthropicDoor() {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + TOKEN + "\",\"name\":\"Read\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + TOKEN + "\",\"content\":\"ok\"}]}]}";
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", REDACTING_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).hasValue("redact=github-token");
        JsonNode sent = sent();
        String id = sent.at("/messages/1/content/0/id").asText();
        assertThat(id).matches("^[a-zA-Z0-9_-]+$").startsWith("toolu_sluice_").isEqualTo(sent.at("/messages/2/content/0/tool_use_id").asText());
        assertThat(sent.toString()).doesNotContain(TOKEN.substring(4, 20));
        Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", REDACTING_KEY);
        assertThat(sent().at("/messages/1/content/0/id").asText()).as("the same id every turn").isEqualTo(id);
    }

    @Test
    void aTokenAsAToolCallIdIsReplacedByOneIdOnBothSidesOnTheOpenAiDoor() {
        String messages = "[{\"role\":\"user\",\"content\":\"read it\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + TOKEN + "\",\"type\":\"function\","
                + "\"function\":{\"name\":\"read\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"" + TOKEN + "\",\"content\":\"ok\"}]";
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":" + messages + "}";
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + REDACTING_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode sent = sent();
        String id = sent.at("/messages/1/tool_calls/0/id").asText();
        assertThat(id).matches("^[a-zA-Z0-9_-]+$").startsWith("toolu_sluice_").isEqualTo(sent.at("/messages/2/tool_call_id").asText());
        assertThat(sent.toString()).doesNotContain(TOKEN.substring(4, 20));
    }
}
