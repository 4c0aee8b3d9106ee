package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A canonical body's thinking as {@code reasoning_effort} for an OpenAI-protocol upstream: the inverse of the doors' budgets. */
class ReasoningEffortUpstreamTest {
    private static final OpenAiTarget OPENAI = new OpenAiTarget(URI.create("http://127.0.0.1:1"), OpenAiTarget.Flavor.OPENAI,
            "gpt-5", "k", null, null);

    private static JsonNode thinking(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static String canonical(int budget) {
        return "{\"model\":\"m\",\"max_tokens\":" + (budget + 8192) + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget
                + "},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void eachDoorBudgetMapsBackToItsEffortAndAnyOtherToTheNearest() throws Exception {
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":2048}"))).isEqualTo("low");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":8192}"))).isEqualTo("medium");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":16384}"))).isEqualTo("high");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":24576}"))).isEqualTo("high");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":1024}"))).isEqualTo("low");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":10000}"))).isEqualTo("medium");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":31999}"))).isEqualTo("high");
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"adaptive\"}"))).isNull();
        assertThat(ChatRequestWriter.effort(null)).isNull();
    }

    @Test
    void disabledIsTheLeastEffortAndAdaptiveTakesAnthropicsEffortWhenNamed() throws Exception {
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"disabled\"}"))).isEqualTo("low");
        JsonNode adaptive = thinking("{\"type\":\"adaptive\"}");
        for (String[] c : new String[][] {{"low", "low"}, {"medium", "medium"}, {"high", "high"}, {"max", "high"}, {"odd", null}}) {
            assertThat(ChatRequestWriter.effort(adaptive, thinking("{\"effort\":\"" + c[0] + "\"}"))).as(c[0]).isEqualTo(c[1]);
            assertThat(ChatRequestWriter.effort(null, thinking("{\"effort\":\"" + c[0] + "\"}"))).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(ChatRequestWriter.effort(thinking("{\"type\":\"enabled\",\"budget_tokens\":2048}"),
                thinking("{\"effort\":\"high\"}"))).as("the budget says it").isEqualTo("low");
    }

    @Test
    void anAnthropicClientsThinkingGoesOnlyToTheModelsTheUpstreamListsAsReasoning() throws Exception {
        OpenAiReasoning listed = OpenAiReasoning.compile(new dev.sluice.config.UpstreamConfig.Reasoning(
                java.util.List.of("o3*", "gpt-5*"), null));
        OpenAiUpstream upstream = new OpenAiUpstream(URI.create("http://127.0.0.1:1"), OpenAiTarget.Flavor.OPENAI, "k", null, null,
                java.util.Map.of("claude-opus-4-6", "o3-pro", "claude-sonnet-4-5", "gpt-4.1"), listed);
        RequestBody body = RequestBody.of(canonical(16384));
        for (String[] c : new String[][] {{"claude-opus-4-6", "high"}, {"gpt-5.1", "high"}, {"claude-sonnet-4-5", null}, {"gpt-4o", null}}) {
            var call = dev.sluice.provider.Exchange.await(upstream.call(dev.sluice.pipeline.Operation.MESSAGES, body, false, c[0], false));
            JsonNode sent = Json.MAPPER.readTree(call.body().getBytes());
            assertThat(sent.has("reasoning_effort") ? sent.path("reasoning_effort").asText() : null).as(c[0]).isEqualTo(c[1]);
            assertThat(sent.path("max_completion_tokens").asInt()).as("reasoning models take only this cap").isEqualTo(16384 + 8192);
        }
        RequestBody sampled = RequestBody.of("{\"model\":\"m\",\"max_tokens\":100,\"temperature\":0.2,\"top_p\":0.9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode o3 = Json.MAPPER.readTree(dev.sluice.provider.Exchange.await(upstream.call(dev.sluice.pipeline.Operation.MESSAGES,
                sampled, false, "claude-opus-4-6", false)).body().getBytes());
        assertThat(o3.has("temperature") || o3.has("top_p")).as("OpenAI's reasoning models refuse them").isFalse();
        JsonNode gpt = Json.MAPPER.readTree(dev.sluice.provider.Exchange.await(upstream.call(dev.sluice.pipeline.Operation.MESSAGES,
                sampled, false, "claude-sonnet-4-5", false)).body().getBytes());
        assertThat(gpt.path("temperature").asDouble()).isEqualTo(0.2);
        OpenAiUpstream vllm = new OpenAiUpstream(URI.create("http://127.0.0.1:1"), OpenAiTarget.Flavor.COMPATIBLE, null, null, null,
                null, OpenAiReasoning.compile(new dev.sluice.config.UpstreamConfig.Reasoning(java.util.List.of("*"), null)));
        JsonNode qwen = Json.MAPPER.readTree(dev.sluice.provider.Exchange.await(vllm.call(dev.sluice.pipeline.Operation.MESSAGES,
                sampled, false, "qwen3-32b", false)).body().getBytes());
        assertThat(qwen.path("temperature").asDouble()).as("a compatible server's reasoning model honours it").isEqualTo(0.2);
        var door = dev.sluice.provider.Exchange.await(upstream.call(dev.sluice.pipeline.Operation.MESSAGES, body, false, "gpt-4o", true));
        assertThat(Json.MAPPER.readTree(door.body().getBytes()).path("reasoning_effort").asText())
                .as("an OpenAI client's own effort goes whatever the model").isEqualTo("high");
    }

    @Test
    void theReasoningSettingIsCheckedWhereItIsWritten() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAiReasoning.compile(
                new dev.sluice.config.UpstreamConfig.Reasoning(java.util.List.of("o3 pro"), null)))
                .hasMessageContaining("reasoning.models: 'o3 pro' (expected: a model name or glob");
        assertThat(OpenAiReasoning.compile(null)).isEqualTo(OpenAiReasoning.NONE);
        assertThat(OpenAiReasoning.compile(new dev.sluice.config.UpstreamConfig.Reasoning(null, true)).sendBack()).isTrue();
    }

    @Test
    void theTranslatedRequestCarriesTheEffortOnlyForTheOpenAiDoors() throws Exception {
        byte[] body = canonical(16384).getBytes(StandardCharsets.UTF_8);
        JsonNode fromDoor = Json.MAPPER.readTree(ChatRequestWriter.write(body, OPENAI, "gpt-5", false, true));
        assertThat(fromDoor.path("reasoning_effort").asText()).isEqualTo("high");
        assertThat(fromDoor.path("max_completion_tokens").asInt()).isEqualTo(16384 + 8192);
        assertThat(fromDoor.has("thinking")).isFalse();
        JsonNode fromClaude = Json.MAPPER.readTree(ChatRequestWriter.write(body, OPENAI, "gpt-5", false));
        assertThat(fromClaude.has("reasoning_effort")).as("Claude Code's thinking, as before").isFalse();
    }

    @Test
    void theDirectPathCarriesTheClientsOwnEffort() throws Exception {
        String chat = "{\"model\":\"my-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"xhigh\"}";
        RequestBody sent = DirectChat.body(RequestBody.of(chat), OPENAI, 32000, false);
        JsonNode json = Json.MAPPER.readTree(sent.bytes().getBytes());
        assertThat(json.path("reasoning_effort").asText()).isEqualTo("xhigh");
        assertThat(json.path("max_completion_tokens").asInt()).isEqualTo(32000);
    }

    @Test
    void aCompatibleServerGetsOnlyTheEffortsItTakes() throws Exception {
        OpenAiTarget vllm = new OpenAiTarget(URI.create("http://127.0.0.1:1"), OpenAiTarget.Flavor.COMPATIBLE, "qwen3", null, null, null);
        String chat = "{\"model\":\"my-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":";
        for (String[] c : new String[][] {{"\"low\"", "low"}, {"\"high\"", "high"}, {"\"xhigh\"", "high"}, {"\"max\"", "high"},
                {"\"none\"", null}, {"\"minimal\"", null}}) {
            JsonNode json = Json.MAPPER.readTree(DirectChat.body(RequestBody.of(chat + c[0] + "}"), vllm, 1000, false).bytes().getBytes());
            assertThat(json.has("reasoning_effort") ? json.path("reasoning_effort").asText() : null).as(c[0]).isEqualTo(c[1]);
        }
        JsonNode openai = Json.MAPPER.readTree(DirectChat.body(RequestBody.of(chat + "\"minimal\"}"), OPENAI, 1000, false).bytes().getBytes());
        assertThat(openai.path("reasoning_effort").asText()).isEqualTo("minimal");
    }
}
