package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.translate.ForeignThinking;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official Java SDK through the gateway to OpenAI-protocol upstreams on the simulator, with extended thinking:
 * Claude Code's {@code thinking} as {@code reasoning_effort} only for models listed as reasoning, a DeepSeek-style
 * server's {@code reasoning_content} as thinking blocks (streamed and whole), a tool loop that sends them back, and the
 * same conversation going on on Claude, which would refuse the gateway's blocks.
 */
class ThinkingThroughOpenAiUpstreamTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: openai
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
                models: {claude-gpt: gpt-4.1, claude-o3: o3}
                reasoning: {models: ["o3*", "gpt-5*"]}
              - name: misconfigured
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
                models: {claude-wrong: gpt-4.1}
                reasoning: {models: ["*"]}
              - name: deepseek
                provider: openai-compatible
                base-url: ${SIM_URL}
                keys: [{alias: ds, value: sk-ds-test}]
                models: {claude-deep: deepseek-v4-pro}
                reasoning: {models: ["deepseek-*"], send-back: true}
              - name: anthropic
                base-url: ${SIM_URL}
                keys: [{alias: primary, value: "${UPSTREAM_KEY}"}]
            routes:
              - {match: "claude-gpt", upstream: openai}
              - {match: "claude-o3", upstream: openai}
              - {match: "claude-wrong", upstream: misconfigured}
              - {match: "claude-deep", upstream: deepseek}
              - name: deep-or-claude
                match: "claude-fallback"
                targets:
                  - {upstream: deepseek, model: claude-deep, priority: 1}
                  - {upstream: anthropic, model: claude-sonnet-4-5-20250929, priority: 2}
              - {match: "*", upstream: anthropic}
            """);

    private static final Tool READ = Tool.builder().name("Read").description("Reads a file")
            .inputSchema(Tool.InputSchema.builder().properties(JsonValue.from(Map.of("file_path", Map.of("type", "string"))))
                    .required(List.of("file_path")).build())
            .build();

    private static AnthropicClient client;

    private static AnthropicClient client() {
        if (client == null) {
            client = AnthropicOkHttpClient.builder().apiKey(SluiceHarness.GATEWAY_KEY).baseUrl(SLUICE.gatewayUrl()).maxRetries(0).build();
        }
        return client;
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static MessageCreateParams.Builder ask(String model, String text) {
        return MessageCreateParams.builder().model(model).maxTokens(16_000).enabledThinking(10_000).addUserMessage(text);
    }

    private static JsonNode lastSent() {
        return Http.json(SLUICE.recorder().received().getLast().bodyText());
    }

    @Test
    void claudeCodesThinkingIsAnEffortOnlyForAModelListedAsReasoning() {
        Message o3 = client().messages().create(ask("claude-o3", "hello").build());
        assertThat(o3.stopReason()).contains(StopReason.END_TURN);
        JsonNode sent = lastSent();
        assertThat(sent.path("model").asText()).isEqualTo("o3");
        assertThat(sent.path("reasoning_effort").asText()).as("a budget of 10,000 is medium").isEqualTo("medium");
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(16_000);
        assertThat(sent.has("max_tokens")).as("o3 refuses max_tokens").isFalse();

        Message gpt = client().messages().create(ask("claude-gpt", "hello").build());
        assertThat(gpt.stopReason()).contains(StopReason.END_TURN);
        assertThat(lastSent().has("reasoning_effort")).as("gpt-4.1 is not listed: as before").isFalse();

        Message sideRequest = client().messages().create(MessageCreateParams.builder().model("claude-o3").maxTokens(100)
                .putAdditionalBodyProperty("temperature", JsonValue.from(0)).addUserMessage("Summarize this conversation in five words")
                .build());
        assertThat(sideRequest.stopReason()).as("o3 refuses temperature 0: the gateway leaves it out").contains(StopReason.END_TURN);
        assertThat(lastSent().has("temperature")).isFalse();

        assertThatThrownBy(() -> client().messages().create(ask("claude-wrong", "hello").build()))
                .as("the simulator refuses an effort for a model without reasoning, as OpenAI does")
                .isInstanceOf(BadRequestException.class).hasMessageContaining("reasoning_effort");
    }

    @Test
    void streamedReasoningContentArrivesAsAThinkingBlockBeforeTheText() {
        MessageAccumulator acc = MessageAccumulator.create();
        List<String> order = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(
                ask("claude-deep", "Which is greater, 9.11 or 9.8?").build())) {
            stream.stream().forEach(event -> {
                acc.accumulate(event);
                event.contentBlockStart().ifPresent(s -> order.add("start:" + (s.contentBlock().isThinking() ? "thinking"
                        : s.contentBlock().isText() ? "text" : "other")));
                event.contentBlockDelta().ifPresent(d -> order.add(d.delta().isThinking() ? "thinking_delta"
                        : d.delta().isSignature() ? "signature_delta" : d.delta().isText() ? "text_delta" : "other"));
            });
        }
        Message message = acc.message();
        assertThat(order).first().isEqualTo("start:thinking");
        assertThat(order.indexOf("signature_delta")).isGreaterThan(order.indexOf("thinking_delta")).isLessThan(order.indexOf("start:text"));
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asThinking().thinking()).isNotBlank();
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo(ForeignThinking.SIGNATURE);
        assertThat(message.content().get(1).asText().text()).isNotBlank();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(message.usage().outputTokens()).as("thinking and text, as the upstream counted them").isEqualTo(billed.outputTokens());
        assertThat(lastSent().path("reasoning_effort").asText()).isEqualTo("medium");
    }

    @Test
    void aClientThatDidNotTurnThinkingOnGetsNoThinkingBlockAsFromClaude() {
        Message whole = client().messages().create(MessageCreateParams.builder().model("claude-deep").maxTokens(500)
                .addUserMessage("hello").build());
        assertThat(whole.content()).hasSize(1);
        assertThat(whole.content().getFirst().isText()).as("code that reads the first block as the text keeps working").isTrue();
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(MessageCreateParams.builder()
                .model("claude-deep").maxTokens(500).addUserMessage("hello").build())) {
            stream.stream().forEach(acc::accumulate);
        }
        assertThat(acc.message().content()).hasSize(1);
        assertThat(acc.message().content().getFirst().isText()).isTrue();
        assertThat(acc.message().usage().outputTokens()).as("the reasoning is billed all the same")
                .isEqualTo(SLUICE.recorder().billed().getLast().outputTokens());
    }

    @Test
    void anOpenAiClientStreamingFromTheUpstreamGetsItsReasoningContentToo() {
        // The stream goes through the canonical form: its thinking block is the chat door's reasoning_content again.
        var r = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", "{\"model\":\"claude-deep\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "authorization", "Bearer " + SluiceHarness.GATEWAY_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        int reasoning = r.body().indexOf("\"reasoning_content\":\"");
        assertThat(reasoning).as(r.body()).isPositive().isLessThan(r.body().indexOf("\"content\":\"", reasoning + 20));
        assertThat(r.body()).doesNotContain(ForeignThinking.SIGNATURE).endsWith("data: [DONE]\n\n");
    }

    @Test
    void aToolLoopSendsTheReasoningBackAndTheConversationGoesOnOnClaude() {
        // Turn 1, whole: thinking, then the call.
        MessageCreateParams.Builder history = MessageCreateParams.builder().model("claude-deep").maxTokens(16_000)
                .enabledThinking(4_000).addTool(READ).addUserMessage("Please read /tmp/sluice/notes.txt");
        Message first = client().messages().create(history.build());
        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(first.content().getFirst().isThinking()).isTrue();
        String thought = first.content().getFirst().asThinking().thinking();
        ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();

        // Turn 2, streamed: the block goes back; DeepSeek's thinking mode refuses the loop without its reasoning_content.
        history.addMessage(first).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(use.id()).content("zebra crossing ahead").build())));
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client().messages().createStreaming(history.build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message second = acc.message();
        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        assertThat(second.content().stream().flatMap(b -> b.text().stream()).findFirst().orElseThrow().text())
                .contains("zebra crossing ahead");
        JsonNode sent = lastSent();
        assertThat(sent.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(sent.at("/messages/1/reasoning_content").asText()).isEqualTo(thought);
        assertThat(sent.toString()).doesNotContain(ForeignThinking.SIGNATURE);

        // Turn 3 on Claude, mid tool loop again: the gateway's blocks are dropped, and thinking is off for this request
        // (Claude requires the loop's assistant message to start with a block it signed). The simulator refuses a
        // signature that is not Anthropic's and, strict, a loop without its block.
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-thinking-loop", "strict"));
        history.model(SluiceHarness.MODEL).addMessage(second).addUserMessage("Now read /tmp/sluice/more.txt");
        Message third = client().messages().create(history.build());
        assertThat(third.stopReason()).contains(StopReason.TOOL_USE);
        ReceivedRequest toClaude = SLUICE.recorder().received().getLast();
        assertThat(toClaude.uri()).startsWith("/v1/messages");
        JsonNode claude = Http.json(toClaude.bodyText());
        assertThat(toClaude.bodyText()).doesNotContain(ForeignThinking.SIGNATURE);
        assertThat(claude.at("/thinking/type").asText()).as("a new question: Claude thinks").isEqualTo("enabled");
        assertThat(claude.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");

        ToolUseBlock next = third.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        history.addMessage(third).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(next.id()).content("second file").build())));
        Message fourth = client().messages().create(history.build());
        assertThat(fourth.stopReason()).contains(StopReason.END_TURN);
        assertThat(Http.json(SLUICE.recorder().received().getLast().bodyText()).at("/thinking/type").asText())
                .as("Claude's own block leads the loop now: thinking stays on").isEqualTo("enabled");
    }

    @Test
    void aFallbackFromTheOpenAiUpstreamToClaudeCarriesNoBlockClaudeWouldRefuse() {
        MessageCreateParams.Builder history = MessageCreateParams.builder().model("claude-fallback").maxTokens(16_000)
                .enabledThinking(4_000).addUserMessage("Which is greater, 9.11 or 9.8?");
        Message first = client().messages().create(history.build());
        assertThat(first.content().getFirst().asThinking().signature()).isEqualTo(ForeignThinking.SIGNATURE);
        assertThat(SLUICE.recorder().received().getLast().uri()).isEqualTo("/v1/chat/completions");

        // DeepSeek fails (its key only): the plan falls back to Claude with the same history.
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "500", "x-sim-fault-key", "sk-ds-test"));
        history.addMessage(first).addUserMessage("And 9.9?");
        Message second = client().messages().create(history.build());
        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        List<ReceivedRequest> received = SLUICE.recorder().received();
        assertThat(received.get(received.size() - 2).uri()).as("the failed attempt").isEqualTo("/v1/chat/completions");
        ReceivedRequest toClaude = received.getLast();
        assertThat(toClaude.uri()).startsWith("/v1/messages");
        assertThat(toClaude.bodyText()).doesNotContain(ForeignThinking.SIGNATURE);
        assertThat(Http.json(toClaude.bodyText()).at("/messages/1/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void aLoopThatGoesToClaudeWithOnlyTheGatewaysBlockGoesWithoutThinking() {
        MessageCreateParams.Builder history = MessageCreateParams.builder().model("claude-deep").maxTokens(16_000)
                .enabledThinking(4_000).addTool(READ).addUserMessage("Please read /tmp/sluice/a.txt");
        Message first = client().messages().create(history.build());
        ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-thinking-loop", "strict"));
        history.model(SluiceHarness.MODEL).addMessage(first).addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                ToolResultBlockParam.builder().toolUseId(use.id()).content("alpha").build())));
        Message onClaude = client().messages().create(history.build());
        assertThat(onClaude.stopReason()).contains(StopReason.END_TURN);
        JsonNode sent = lastSent();
        assertThat(sent.at("/thinking/type").asText()).isEqualTo("disabled");
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
    }
}
