package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAI front door to an OpenAI upstream without the double translation: what the upstream receives is the
 * client's chat body with the upstream's edits ({@link DirectChat}), what the client receives is the upstream's answer
 * (whole bodies as they came, naming the model that served, as OpenAI's do; streams with the usage chunk only when asked), and the
 * ledger is exact (prompt, cached and completion tokens). A body a stage edited (a guard redaction) is translated from
 * the canonical form as before, so the edit reaches the upstream.
 */
class DirectChatThroughGatewayTest {
    /** Long enough for the simulator's prefix cache (1,024 tokens). */
    private static final String SYSTEM = "You are a careful assistant. ".repeat(200);
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"Read\",\"description\":\"Reads a file\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"file_path\":{\"type\":\"string\"}},\"required\":[\"file_path\"]}}}]";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "my-gpt", upstream: openai, model: gpt-4.1}
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              rules: {pii: [email]}
              actions: {secret: block, pii: redact, injection: flag}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpResponse<String> post(String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String chat(String model, String question, String extra) {
        return "{\"model\":\"" + model + "\"" + extra + ",\"messages\":[{\"role\":\"system\",\"content\":" + Http.quote(SYSTEM)
                + "},{\"role\":\"user\",\"content\":" + Http.quote(question) + "}]}";
    }

    /** The data payloads of an SSE body. */
    private static List<String> data(String body) {
        List<String> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            if (!frame.isBlank()) {
                assertThat(frame).startsWith("data: ");
                out.add(frame.substring(6));
            }
        }
        return out;
    }

    private static JsonNode attempt(HttpResponse<String> r) {
        return GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1).path("attempts").get(0);
    }

    private static JsonNode received() {
        return Http.json(SLUICE.recorder().received().getLast().bodyText());
    }

    @Test
    void aWholeAnswerIsTheUpstreamsOwnNamingTheServedModelAndTheLedgerIsExactWithCachedTokens() {
        String extra = ",\"temperature\":1.5,\"user\":\"dev-7\",\"store\":true,\"max_tokens\":120";
        assertThat(post(chat("my-gpt", "first question", extra)).statusCode()).isEqualTo(200);
        HttpResponse<String> r = post(chat("my-gpt", "first question", extra)); // the same prefix: cached
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        ReceivedRequest req = SLUICE.recorder().received().getLast();
        assertThat(req.uri()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("authorization")).isEqualTo("Bearer sk-openai-test-1");
        JsonNode sent = received();
        assertThat(sent.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("model", "temperature", "max_completion_tokens", "messages");
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(sent.path("temperature").asDouble()).as("the client's own, not clamped to Anthropic's range").isEqualTo(1.5);
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(120);
        assertThat(sent.path("messages")).isEqualTo(Http.json(chat("x", "first question", "")).path("messages"));

        JsonNode answer = Http.json(r.body());
        assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
        assertThat(answer.path("model").asText()).as("the model that served, as OpenAI's API names it").isEqualTo("gpt-4.1");
        assertThat(answer.path("id").asText()).as("the upstream's id, not re-prefixed").startsWith("chatcmpl-")
                .doesNotStartWith("chatcmpl-chatcmpl-");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("openai");
        assertThat(r.headers().firstValue("x-sluice-cost-usd")).isPresent();

        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(billed.cacheReadInputTokens()).as("the simulator cached the shared prefix").isPositive();
        assertThat(answer.at("/usage/prompt_tokens").asLong()).isEqualTo(billed.inputTokens() + billed.cacheReadInputTokens());
        assertThat(answer.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
        assertThat(answer.at("/usage/completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        JsonNode attempt = attempt(r);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
        assertThat(attempt.path("served_model").asText()).isEqualTo("gpt-4.1");
        assertThat(attempt.path("usage_estimated").asBoolean()).isFalse();
    }

    @Test
    void aStreamAsksTheUpstreamForUsageButTheClientGetsNoUsageChunkUnlessItAsked() {
        HttpResponse<String> r = post(chat("gpt-4.1", "stream without usage", ",\"stream\":true"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(received().at("/stream_options/include_usage").asBoolean()).as("asked so the bill is exact").isTrue();
        List<String> chunks = data(r.body());
        assertThat(chunks.getLast()).isEqualTo("[DONE]");
        for (String c : chunks.subList(0, chunks.size() - 1)) {
            JsonNode chunk = Http.json(c);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.has("usage")).as(c).isFalse();
            assertThat(chunk.path("choices")).as(c).hasSize(1);
        }
        assertThat(GatewayCalls.usage(attempt(r))).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
        assertThat(attempt(r).path("usage_estimated").asBoolean()).isFalse();
    }

    @Test
    void aStreamThatAskedForUsageEndsWithTheUsageChunkWithCachedTokens() {
        String extra = ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";
        post(chat("gpt-4.1", "stream with usage", extra));
        HttpResponse<String> r = post(chat("gpt-4.1", "stream with usage", extra));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> chunks = data(r.body());
        assertThat(chunks.getLast()).isEqualTo("[DONE]");
        JsonNode usageChunk = Http.json(chunks.get(chunks.size() - 2));
        assertThat(usageChunk.path("choices")).isEmpty();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(billed.cacheReadInputTokens()).isPositive();
        assertThat(usageChunk.at("/usage/prompt_tokens").asLong()).isEqualTo(billed.inputTokens() + billed.cacheReadInputTokens());
        assertThat(usageChunk.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
        assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(GatewayCalls.usage(attempt(r))).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void toolsGoAsTheClientWroteThemAndToolCallsComeBackWholeAndStreamed() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "Read"));
        String extra = ",\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\",\"parallel_tool_calls\":false";
        HttpResponse<String> whole = post(chat("gpt-4.1", "read a.txt", extra));
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(received().path("tools")).isEqualTo(Http.json(TOOLS));
        assertThat(SLUICE.recorder().received().getLast().bodyText()).contains("\"tools\":" + TOOLS + ",\"tool_choice\":\"auto\"");
        JsonNode message = Http.json(whole.body()).at("/choices/0/message");
        assertThat(Http.json(whole.body()).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(message.at("/tool_calls/0/function/name").asText()).isEqualTo("Read");
        assertThat(Http.json(message.at("/tool_calls/0/function/arguments").asText()).has("file_path")).isTrue();

        HttpResponse<String> streamed = post(chat("gpt-4.1", "read a.txt", extra + ",\"stream\":true"));
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        StringBuilder args = new StringBuilder();
        String name = null;
        String finish = null;
        for (String c : data(streamed.body())) {
            if (c.equals("[DONE]")) {
                continue;
            }
            JsonNode choice = Http.json(c).at("/choices/0");
            JsonNode call = choice.at("/delta/tool_calls/0");
            if (!call.isMissingNode()) {
                assertThat(call.path("index").asInt()).isZero();
                name = call.at("/function/name").isTextual() ? call.at("/function/name").asText() : name;
                args.append(call.at("/function/arguments").asText(""));
            }
            finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : finish;
        }
        assertThat(name).isEqualTo("Read");
        assertThat(Http.json(args.toString()).has("file_path")).as(args.toString()).isTrue();
        assertThat(finish).isEqualTo("tool_calls");
    }

    @Test
    void upstreamErrorsReachTheClientInOpenAisEnvelope() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "too-long"));
        HttpResponse<String> r = post(chat("gpt-4.1", "too long", ""));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = Http.json(r.body());
        assertThat(body.has("type")).as("no Anthropic wrapper").isFalse();
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).contains("prompt is too long");

        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "denied"));
        HttpResponse<String> streamed = post(chat("gpt-4.1", "denied", ",\"stream\":true"));
        assertThat(streamed.statusCode()).isEqualTo(403);
        assertThat(Http.json(streamed.body()).at("/error/type").asText()).isNotEmpty();
        assertThat(Http.json(streamed.body()).has("type")).isFalse();
    }

    @Test
    void textTheCanonicalFormLeavesOutNeverReachesTheUpstream() {
        String messages = "[{\"role\":\"user\",\"name\":\"MARKER-NAME\",\"content\":\"run it\"},{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"run\","
                + "\"arguments\":\"not json MARKER-ARGS\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"done\"}]";
        HttpResponse<String> r = post("{\"model\":\"gpt-4.1\",\"temperature\":1.5,\"messages\":" + messages + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String sent = SLUICE.recorder().received().getLast().bodyText();
        assertThat(sent).doesNotContain("MARKER-NAME").doesNotContain("MARKER-ARGS");
        assertThat(Http.json(sent).path("temperature").asDouble()).as("translated from the canonical form").isEqualTo(1.0);
        assertThat(Http.json(sent).at("/messages/1/tool_calls/0/function/arguments").asText()).isEqualTo("{}");
    }

    @Test
    void aRedactedBodyIsTranslatedFromTheCanonicalFormSoTheRedactionReachesTheUpstream() {
        String extra = ",\"temperature\":1.5,\"stream\":true";
        HttpResponse<String> r = post(chat("gpt-4.1", "Write to ana.silva@acme-payments.io", extra));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).hasValue("redact=email");
        String sent = SLUICE.recorder().received().getLast().bodyText();
        assertThat(sent).doesNotContain("ana.silva@acme-payments.io").containsPattern("\\[REDACTED:email:[0-9a-f]{6}]");
        JsonNode chat = Http.json(sent);
        assertThat(chat.path("temperature").asDouble()).as("the translated path (canonical temperature)").isEqualTo(1.0);
        assertThat(chat.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(data(r.body()).getLast()).isEqualTo("[DONE]");
        assertThat(GatewayCalls.usage(attempt(r))).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
    }
}
