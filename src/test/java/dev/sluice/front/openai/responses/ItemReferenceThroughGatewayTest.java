package dev.sluice.front.openai.responses;

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
 * A streamed answer's items, kept for the key that asked, sent back by reference over raw HTTP: the key that got them
 * continues its tool loop with the words the model said before its call; another key naming the same id is refused as
 * if the id were unknown, and nothing is forwarded for it.
 */
class ItemReferenceThroughGatewayTest {
    private static final String OTHER_KEY = "sk-sluice-test-other-9876543210";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML
            .replace("keys: [\"${GATEWAY_KEY}\"]", "keys: [\"${GATEWAY_KEY}\", \"" + OTHER_KEY + "\"]"));

    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
            + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]";

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpResponse<String> post(String key, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The response object of a stream's last event. */
    private static JsonNode completed(String sse) {
        String[] frames = sse.strip().split("\n\n");
        String last = frames[frames.length - 1];
        return Http.json(last.substring(last.indexOf("data: ") + 6)).path("response");
    }

    private static String second(String messageId, String callId, String arguments) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_output_tokens\":100" + TOOLS + ",\"input\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Lisbon?\"},"
                + "{\"type\":\"item_reference\",\"id\":\"" + messageId + "\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"" + callId + "\",\"name\":\"get_weather\",\"arguments\":" + Http.quote(arguments) + "},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"Sunny, 21C\"}]}";
    }

    @Test
    void theKeyThatGotAnAnswerReferencesItsItemsAndAnotherKeyIsRefusedAsForAnUnknownId() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;once;say"));
        HttpResponse<String> first = post(SluiceHarness.GATEWAY_KEY, "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,"
                + "\"max_output_tokens\":100" + TOOLS + ",\"input\":\"Weather in Lisbon?\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode response = completed(first.body());
        assertThat(response.path("store").asBoolean()).isTrue();
        JsonNode message = response.at("/output/0");
        JsonNode call = response.at("/output/1");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        String body = second(message.path("id").asText(), call.path("call_id").asText(), call.path("arguments").asText());

        HttpResponse<String> mine = post(SluiceHarness.GATEWAY_KEY, body);
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/messages/1/content/0/text").asText()).isEqualTo(message.at("/content/0/text").asText()).isNotBlank();
        assertThat(sent.at("/messages/1/content/1/type").asText()).isEqualTo("tool_use");

        int forwarded = SLUICE.recorder().received().size();
        HttpResponse<String> theirs = post(OTHER_KEY, body);
        assertThat(theirs.statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post(OTHER_KEY, second("msg_unknown_0", call.path("call_id").asText(), "{}"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        String refusal = Http.json(theirs.body()).at("/error/message").asText();
        assertThat(refusal).contains("is not an item this gateway keeps for this caller");
        assertThat(refusal.replace(message.path("id").asText(), "X"))
                .isEqualTo(Http.json(unknown.body()).at("/error/message").asText().replace("msg_unknown_0", "X"));
        assertThat(Http.json(theirs.body()).at("/error/param").asText()).isEqualTo("input[1].id");
        assertThat(SLUICE.recorder().received()).hasSize(forwarded);
    }

    @Test
    void anAnswerMadeWithStoreFalseSaysSoAndItsItemsCannotBeReferenced() {
        HttpResponse<String> first = post(SluiceHarness.GATEWAY_KEY, "{\"model\":\"claude-sonnet-4-5\",\"store\":false,"
                + "\"max_output_tokens\":50,\"input\":\"Say hello.\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode response = Http.json(first.body());
        assertThat(response.path("store").asBoolean()).isFalse();
        String id = response.at("/output/0/id").asText();
        HttpResponse<String> again = post(SluiceHarness.GATEWAY_KEY, "{\"model\":\"claude-sonnet-4-5\",\"input\":["
                + "{\"role\":\"user\",\"content\":\"Say hello.\"},{\"type\":\"item_reference\",\"id\":\"" + id + "\"},"
                + "{\"role\":\"user\",\"content\":\"Again.\"}]}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(Http.json(again.body()).at("/error/message").asText()).contains("store: false");
    }
}
