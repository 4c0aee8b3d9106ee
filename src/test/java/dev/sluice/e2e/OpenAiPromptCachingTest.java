package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.sluice.config.ConfigException;
import dev.sluice.config.LiveConfig;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provider prompt caching for OpenAI clients on Claude: the official {@code com.openai:openai-java} SDK through the
 * OpenAI door to the simulator's Anthropic, Bedrock and Vertex wires, over two turns of a growing conversation. Turn 2
 * reads what turn 1 wrote (automatic breakpoints, or the client's own markers), reports it as
 * {@code prompt_tokens_details.cached_tokens}, and the ledger bills the read at the cache-read price.
 */
class OpenAiPromptCachingTest {
    private static final String SONNET = "claude-sonnet-4-5-20250929";
    private static final String YAML = """
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
              - {name: bedrock, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, auth: sigv4,
                 keys: [{alias: iam, value: "%s:%s"}]}
              - {name: vertex, provider: vertex, base-url: "${SIM_URL}", project: sim-project, region: us-east5,
                 keys: [{alias: token, value: "%s"}]}
              - {name: openai, provider: openai, base-url: "${SIM_URL}", keys: [{alias: o, value: sk-openai-test-1}]}
            routes:
              - {match: "gpt-*", upstream: openai}
              - {match: "bedrock-*", upstream: bedrock, model: %s}
              - {match: "vertex-*", upstream: vertex, model: %s}
              - {name: uncached, match: "plain-*", upstream: anthropic, model: %s, prompt-cache-breakpoints: false}
              - {match: "*", upstream: anthropic}
            """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, VertexSim.STATIC_TOKEN, SONNET, SONNET, SONNET);
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(YAML);

    /** Sonnet 4.5, USD per million tokens: input, output, 5-minute write, 1-hour write, read (src/main/resources/prices.yaml). */
    private static final BigDecimal IN = new BigDecimal("3");
    private static final BigDecimal OUT = new BigDecimal("15");
    private static final BigDecimal WRITE_5M = new BigDecimal("3.75");
    private static final BigDecimal WRITE_1H = new BigDecimal("6");
    private static final BigDecimal READ = new BigDecimal("0.30");

    private static OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(SLUICE.gatewayUrl() + "/v1").apiKey(SluiceHarness.GATEWAY_KEY).maxRetries(0).build();
    }

    /**
     * A coding agent's system prompt: ~160 KB (about 40,000 tokens), unique per test so no test reads another's cache;
     * big enough that a read billed at the input price instead of the read price is off by ten cents.
     */
    private static String systemPrompt() {
        return "You are a coding agent. Session " + UUID.randomUUID() + ".\n"
                + "Rule: keep diffs small and explain them.\n".repeat(4000);
    }

    private static FunctionDefinition tool(String name) {
        return FunctionDefinition.builder().name(name).description("Tool " + name + ": " + "does one thing well. ".repeat(20))
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("path", Map.of("type", "string")))).build())
                .build();
    }

    private static ChatCompletionCreateParams.Builder turn1(String model, String system) {
        return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(100).addSystemMessage(system)
                .addFunctionTool(tool("read_file")).addFunctionTool(tool("edit_file")).addUserMessage("Where is the bug in a.java?");
    }

    /** Turn 2: turn 1's conversation, its answer and a new question. */
    private static ChatCompletionCreateParams turn2(ChatCompletionCreateParams.Builder first, ChatCompletion answer) {
        return first.addMessage(answer.choices().getFirst().message()).addUserMessage("Fix it, please.").build();
    }

    private static ChatCompletion create(ChatCompletionCreateParams params, String[] requestId) {
        HttpResponseFor<ChatCompletion> raw = client().chat().completions().withRawResponse().create(params);
        requestId[0] = raw.headers().values("request-id").getFirst();
        return raw.parse();
    }

    /** The ledger's record of the request equals the simulator's bill, and its cost is the bill at Sonnet's prices to the cent. */
    private static void assertBilledAtCachePrices(String requestId, BilledUsage billed) {
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), requestId, 1).path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        BigDecimal expected = IN.multiply(BigDecimal.valueOf(billed.inputTokens()))
                .add(OUT.multiply(BigDecimal.valueOf(billed.outputTokens())))
                .add(WRITE_5M.multiply(BigDecimal.valueOf(billed.ephemeral5mInputTokens())))
                .add(WRITE_1H.multiply(BigDecimal.valueOf(billed.ephemeral1hInputTokens())))
                .add(READ.multiply(BigDecimal.valueOf(billed.cacheReadInputTokens())))
                .movePointLeft(6);
        BigDecimal ledger = new BigDecimal(attempt.path("cost_usd").asText());
        assertThat(ledger.subtract(expected).abs()).as("ledger %s, expected %s", ledger, expected).isLessThan(new BigDecimal("0.005"));
    }

    /** The check has teeth: had the reads been billed at the input price, the cost would be more than ten cents off. */
    private static void assertReadsMatterToTheCent(BilledUsage billed) {
        assertThat(IN.subtract(READ).multiply(BigDecimal.valueOf(billed.cacheReadInputTokens())).movePointLeft(6))
                .isGreaterThan(new BigDecimal("0.10"));
    }

    private static void assertUsage(CompletionUsage usage, BilledUsage billed) {
        assertThat(usage.promptTokens()).isEqualTo(billed.totalInputTokens());
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isEqualTo((long) billed.cacheReadInputTokens());
    }

    /** How many cache_control markers the simulator's last request carried. */
    private static int markers() {
        String body = SLUICE.recorder().received().getLast().bodyText();
        return body.split("\"cache_control\"", -1).length - 1;
    }

    private void twoTurnsReadTheCache(String model) {
        String system = systemPrompt();
        String[] id = new String[1];
        ChatCompletion first = create(turn1(model, system).build(), id);
        BilledUsage wrote = SLUICE.recorder().billed().getLast();
        assertThat(wrote.cacheCreationInputTokens()).as("turn 1 writes the prefix").isGreaterThan(30_000);
        assertThat(first.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isZero();
        assertUsage(first.usage().orElseThrow(), wrote);
        // The two tools (~300 tokens) are below Sonnet's 1,024-token minimum: the system prompt and the user turn are marked.
        assertThat(markers()).isEqualTo(2);

        ChatCompletion second = create(turn2(turn1(model, system), first), id);
        BilledUsage read = SLUICE.recorder().billed().getLast();
        assertThat(markers()).as("system and both user turns").isEqualTo(3);
        CompletionUsage usage = second.usage().orElseThrow();
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isPositive()
                .isEqualTo(wrote.cacheCreationInputTokens());
        assertUsage(usage, read);
        assertBilledAtCachePrices(id[0], read);
        assertReadsMatterToTheCent(read);
    }

    @Test
    void anthropicTurnTwoReadsWhatTurnOneWrote() {
        twoTurnsReadTheCache(SluiceHarness.MODEL);
    }

    @Test
    void bedrockTurnTwoReadsWhatTurnOneWrote() {
        twoTurnsReadTheCache("bedrock-sonnet");
    }

    @Test
    void vertexTurnTwoReadsWhatTurnOneWrote() {
        twoTurnsReadTheCache("vertex-sonnet");
    }

    @Test
    void aStreamsUsageChunkCarriesTheCachedTokens() {
        String system = systemPrompt();
        ChatCompletion first = client().chat().completions().create(turn1("bedrock-sonnet", system).build());
        ChatCompletionCreateParams params = turn2(turn1("bedrock-sonnet", system), first).toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        ChatCompletionChunk last = null;
        String requestId;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client().chat().completions().withRawResponse().createStreaming(params)) {
            requestId = raw.headers().values("request-id").getFirst();
            assertThat(raw.headers().values("x-sluice-prompt-cache-auto")).containsExactly("3");
            try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
                for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                    last = chunk;
                }
            }
        }
        BilledUsage read = SLUICE.recorder().billed().getLast();
        assertThat(read.stream()).isTrue();
        assertThat(read.cacheReadInputTokens()).isPositive();
        assertUsage(last.usage().orElseThrow(), read);
        assertBilledAtCachePrices(requestId, read);
        assertReadsMatterToTheCent(read);
    }

    @Test
    void theClientsOwnMarkersAreHonouredAndNothingIsAdded() {
        String system = systemPrompt();
        ChatCompletionContentPartText marked = ChatCompletionContentPartText.builder().text(system)
                .putAdditionalProperty("cache_control", JsonValue.from(Map.of("type", "ephemeral", "ttl", "1h"))).build();
        ChatCompletionCreateParams.Builder first = ChatCompletionCreateParams.builder().model(SluiceHarness.MODEL).maxCompletionTokens(100)
                .addSystemMessageOfArrayOfContentParts(List.of(marked)).addUserMessage("Where is the bug?");
        HttpResponseFor<ChatCompletion> raw = client().chat().completions().withRawResponse().create(first.build());
        assertThat(raw.headers().values("x-sluice-prompt-cache-auto")).isEmpty();
        BilledUsage wrote = SLUICE.recorder().billed().getLast();
        assertThat(wrote.ephemeral1hInputTokens()).as("the client's 1h TTL reached the upstream").isGreaterThan(30_000);
        // 1-hour writes at their own price (twice the input price; at the 5-minute one it would be ten cents off)
        assertBilledAtCachePrices(raw.headers().values("request-id").getFirst(), wrote);
        assertThat(WRITE_1H.subtract(WRITE_5M).multiply(BigDecimal.valueOf(wrote.ephemeral1hInputTokens())).movePointLeft(6))
                .isGreaterThan(new BigDecimal("0.07"));
        assertThat(markers()).isEqualTo(1);

        String[] id = new String[1];
        ChatCompletion second = create(turn2(first, raw.parse()), id);
        BilledUsage read = SLUICE.recorder().billed().getLast();
        assertThat(second.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow())
                .isEqualTo(wrote.ephemeral1hInputTokens());
        assertUsage(second.usage().orElseThrow(), read);
        assertBilledAtCachePrices(id[0], read);
        assertReadsMatterToTheCent(read);
    }

    @Test
    void aRouteCanTurnAutomaticBreakpointsOff() {
        String system = systemPrompt();
        ChatCompletion first = client().chat().completions().create(turn1("plain-sonnet", system).build());
        HttpResponseFor<ChatCompletion> raw = client().chat().completions().withRawResponse().create(turn2(turn1("plain-sonnet", system), first));
        assertThat(raw.headers().values("x-sluice-route")).containsExactly("uncached");
        assertThat(raw.headers().values("x-sluice-prompt-cache-auto")).isEmpty();
        assertThat(raw.parse().usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isZero();
        assertThat(markers()).isZero();
    }

    /** A chat body: the system prompt, a question, then {@code calls} parallel tool calls and their results, then "go on". */
    private static String toolLoop(String model, String system, int calls) {
        StringBuilder m = new StringBuilder("{\"role\":\"system\",\"content\":" + Http.quote(system) + "},"
                + "{\"role\":\"user\",\"content\":\"List the files.\"}");
        if (calls > 0) {
            m.append(",{\"role\":\"assistant\",\"tool_calls\":[");
            for (int i = 0; i < calls; i++) {
                m.append(i == 0 ? "" : ",").append("{\"id\":\"c").append(i).append("\",\"type\":\"function\",\"function\":")
                        .append("{\"name\":\"read_file\",\"arguments\":\"{}\"}}");
            }
            m.append("]}");
            for (int i = 0; i < calls; i++) {
                m.append(",{\"role\":\"tool\",\"tool_call_id\":\"c").append(i).append("\",\"content\":\"file ").append(i).append("\"}");
            }
            m.append(",{\"role\":\"user\",\"content\":\"go on\"}");
        }
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[" + m + "]}";
    }

    @Test
    void afterManyParallelToolCallsTheNextTurnStillReadsThePreviousOne() {
        // 12 parallel calls and their results: 25 blocks past the previous request's breakpoint, beyond the API's
        // 20-block look-back from the newest one. The breakpoint on the previous user turn is what finds it.
        String system = systemPrompt();
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", toolLoop(SluiceHarness.MODEL, system, 0)).statusCode())
                .isEqualTo(200);
        BilledUsage wrote = SLUICE.recorder().billed().getLast();
        var next = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", toolLoop(SluiceHarness.MODEL, system, 12));
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(Http.json(next.body()).at("/usage/prompt_tokens_details/cached_tokens").asLong())
                .isEqualTo(wrote.cacheCreationInputTokens()).isEqualTo(SLUICE.recorder().billed().getLast().cacheReadInputTokens());

        // Marking only the newest user turn, the same step reads the system prompt alone.
        LiveConfig live = SLUICE.harness().gateway().live();
        try {
            live.apply(YAML + "routing: {prompt-cache-breakpoints: {user-turns: 1}}\n", "test.yaml", "test", "test");
            String other = systemPrompt();
            Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", toolLoop(SluiceHarness.MODEL, other, 0));
            BilledUsage first = SLUICE.recorder().billed().getLast();
            var missed = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", toolLoop(SluiceHarness.MODEL, other, 12));
            long cached = Http.json(missed.body()).at("/usage/prompt_tokens_details/cached_tokens").asLong();
            assertThat(cached).isPositive().isLessThan(first.cacheCreationInputTokens());
        } finally {
            live.apply(YAML, "test.yaml", "test", "test");
        }
    }

    @Test
    void anOpenAiUpstreamGetsNoMarkersAndTheClientsBodyAsWritten() {
        String system = systemPrompt();
        HttpResponseFor<ChatCompletion> auto = client().chat().completions().withRawResponse().create(turn1("gpt-4.1", system).build());
        assertThat(auto.headers().values("x-sluice-prompt-cache-auto")).isEmpty();
        String sent = SLUICE.recorder().received().getLast().bodyText();
        assertThat(sent).doesNotContain("cache_control");
        assertThat(sent).as("unedited: the direct path").contains("\"role\":\"system\"").doesNotContain("\"input_schema\"");
        ChatCompletionContentPartText marked = ChatCompletionContentPartText.builder().text(system)
                .putAdditionalProperty("cache_control", JsonValue.from(Map.of("type", "ephemeral"))).build();
        client().chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4.1").maxCompletionTokens(50)
                .addSystemMessageOfArrayOfContentParts(List.of(marked)).addUserMessage("hi").build());
        assertThat(markers()).as("a client's marker has no place on OpenAI's wire").isZero();
    }

    @Test
    void theSwitchReloadsLiveAndABadValueIsRefusedByTheReload() {
        LiveConfig live = SLUICE.harness().gateway().live();
        String system = systemPrompt();
        try {
            live.apply(YAML + "routing: {prompt-cache-breakpoints: {enabled: false}}\n", "test.yaml", "test", "test");
            HttpResponseFor<ChatCompletion> off = client().chat().completions().withRawResponse().create(turn1(SluiceHarness.MODEL, system).build());
            assertThat(off.headers().values("x-sluice-prompt-cache-auto")).isEmpty();
            assertThat(markers()).isZero();
            assertThatThrownBy(() -> live.apply(YAML + "routing: {prompt-cache-breakpoints: {ttl: 2h}}\n", "test.yaml", "test", "test"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("routing.prompt-cache-breakpoints.ttl: '2h' (expected: 5m or 1h)");
            live.apply(YAML + "routing: {prompt-cache-breakpoints: {ttl: 1h, user-turns: 1}}\n", "test.yaml", "test", "test");
            client().chat().completions().create(turn1(SluiceHarness.MODEL, system).build());
            assertThat(SLUICE.recorder().billed().getLast().ephemeral1hInputTokens()).isGreaterThan(30_000);
        } finally {
            live.apply(YAML, "test.yaml", "test", "test");
        }
    }

    @Test
    void badMarkersAreRefusedInOpenAisEnvelope() {
        ChatCompletionContentPartText bad = ChatCompletionContentPartText.builder().text("x")
                .putAdditionalProperty("cache_control", JsonValue.from(Map.of("type", "ephemeral", "ttl", "24h"))).build();
        assertThatThrownBy(() -> client().chat().completions().create(ChatCompletionCreateParams.builder().model(SluiceHarness.MODEL)
                .addSystemMessageOfArrayOfContentParts(List.of(bad)).addUserMessage("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).hasValue("messages[0].content[0].cache_control.ttl");
                    assertThat(e.code()).hasValue("unsupported_value");
                    assertThat(e.getMessage()).contains("5m or 1h");
                });
        StringBuilder five = new StringBuilder("{\"model\":\"" + SluiceHarness.MODEL + "\",\"messages\":[");
        for (int i = 0; i < 5; i++) {
            five.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":\"turn ").append(i).append("\",\"cache_control\":{\"type\":\"ephemeral\"}}");
        }
        var refused = Http.post(SLUICE.gatewayUrl(), "/v1/chat/completions", five.append("]}").toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Http.json(refused.body()).at("/error/param").asText()).isEqualTo("messages[4].cache_control");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
