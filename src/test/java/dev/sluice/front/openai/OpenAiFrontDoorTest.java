package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
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
 * The OpenAI front door over raw HTTP: chat completions through the pipeline to an Anthropic upstream (and to an
 * OpenAI one), streams with and without the usage chunk, tool calls, OpenAI's error envelope for every refusal,
 * the model list in OpenAI's shape, embeddings metered.
 */
class OpenAiFrontDoorTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "claude-*", upstream: anthropic}
              - {match: "gpt-*", upstream: openai}
              - {match: "text-embedding-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            """);

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private static HttpRequest.Builder openAi(String path) {
        return HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json");
    }

    private static HttpResponse<String> post(String path, String body) {
        return Http.send(openAi(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String chat(String model, boolean stream, String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + extra
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
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

    @Test
    void aChatCompletionGoesToTheAnthropicUpstreamAsAMessageAndComesBackWithUsage() {
        HttpResponse<String> r = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false, ",\"max_completion_tokens\":64"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode completion = Http.json(r.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("model").asText()).isEqualTo(SluiceHarness.MODEL);
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");

        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/v1/messages");
        assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(received.header("x-api-key")).isEqualTo(SluiceHarness.UPSTREAM_KEY);
        assertThat(received.header("authorization")).isNull();
        JsonNode messages = Http.json(received.bodyText());
        assertThat(messages.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(messages.at("/system/0/text").asText()).isEqualTo("Be brief.");

        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(completion.at("/usage/prompt_tokens").asLong()).isEqualTo(billed.totalInputTokens());
        assertThat(completion.at("/usage/completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(completion.at("/usage/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(billed.cacheReadInputTokens());
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1)
                .path("attempts").get(0);
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed));
    }

    @Test
    void aStreamEndsWithTheUsageChunkOnlyWhenAskedThenDone() {
        HttpResponse<String> asked = post("/v1/chat/completions", chat(SluiceHarness.MODEL, true,
                ",\"stream_options\":{\"include_usage\":true}"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        assertThat(asked.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<String> chunks = data(asked.body());
        assertThat(chunks.getLast()).isEqualTo("[DONE]");
        JsonNode usage = Http.json(chunks.get(chunks.size() - 2));
        assertThat(usage.path("choices")).isEmpty();
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(usage.at("/usage/completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(usage.at("/usage/prompt_tokens").asLong()).isEqualTo(billed.totalInputTokens());
        StringBuilder text = new StringBuilder();
        chunks.subList(0, chunks.size() - 2).forEach(c -> text.append(Http.json(c).at("/choices/0/delta/content").asText("")));
        assertThat(text.toString()).isNotBlank();

        HttpResponse<String> plain = post("/v1/chat/completions", chat(SluiceHarness.MODEL, true, ""));
        List<String> plainChunks = data(plain.body());
        assertThat(plainChunks.getLast()).isEqualTo("[DONE]");
        assertThat(plainChunks.subList(0, plainChunks.size() - 1)).allSatisfy(c -> assertThat(Http.json(c).has("usage")).isFalse());
    }

    @Test
    void toolsAndToolCallsTranslateBothWays() {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather"));
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";
        HttpResponse<String> r = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false, tools));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode call = Http.json(r.body()).at("/choices/0/message/tool_calls/0");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Http.json(call.at("/function/arguments").asText()).has("city")).isTrue();
        assertThat(Http.json(r.body()).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode sentTools = Http.json(SLUICE.recorder().received().getLast().bodyText()).path("tools");
        assertThat(sentTools.at("/0/input_schema/required/0").asText()).isEqualTo("city");

        // The client answers the call; the conversation goes back to the upstream with a tool_result.
        String followUp = "{\"model\":\"" + SluiceHarness.MODEL + "\"" + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":" + Http.quote(call.path("id").asText()) + ",\"content\":\"Sunny, 21C\"}]}";
        SLUICE.harness().sim().standingDirectives(Map.of());
        HttpResponse<String> answer = post("/v1/chat/completions", followUp);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(sent.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo(call.path("id").asText());
    }

    @Test
    void theGatewaysRefusalsAreInOpenAisEnvelope() {
        HttpResponse<String> badKey = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer sk-wrong").POST(HttpRequest.BodyPublishers.ofString(chat("x", false, ""))).build());
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(Http.json(badKey.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(Http.json(badKey.body()).at("/error/message").asText()).isNotBlank();

        HttpResponse<String> twoChoices = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false, ",\"n\":2"));
        assertThat(twoChoices.statusCode()).isEqualTo(400);
        assertThat(Http.json(twoChoices.body()).at("/error/message").asText()).startsWith("n: 2");
        assertThat(Http.json(twoChoices.body()).has("type")).as("not Anthropic's envelope").isFalse();

        HttpResponse<String> get = Http.send(openAi("/v1/chat/completions").GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(Http.json(get.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");

        HttpResponse<String> unknown = Http.send(openAi("/v1/chat/nothing").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Http.json(unknown.body()).path("error").has("code")).isTrue();
        assertThat(Http.json(unknown.body()).at("/error/code").isNull()).as("a path is not a model: " + unknown.body()).isTrue();

        HttpResponse<String> noKey = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat("x", false, ""))).build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(Http.json(noKey.body()).at("/error/message").asText()).contains("Authorization: Bearer").doesNotContain("x-api-key");

        HttpResponse<String> responses = post("/v1/responses/resp_1/cancel", "{}"); // stored responses: the gateway keeps none
        assertThat(responses.statusCode()).isEqualTo(501);
        assertThat(Http.json(responses.body()).at("/error/code").asText()).isEqualTo("not_supported");
        assertThat(responses.headers().firstValue("x-should-retry")).hasValue("false");

        HttpResponse<String> prefixed = Http.send(openAi("/openai/v1/nope").GET().build());
        assertThat(prefixed.statusCode()).isEqualTo(404);
        assertThat(Http.json(prefixed.body()).path("error").has("param")).isTrue();
    }

    @Test
    void anUpstreamErrorReachesTheClientInOpenAisEnvelopeMidStreamToo() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "529"));
        HttpResponse<String> r = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false, ""));
        assertThat(r.statusCode()).isEqualTo(529);
        assertThat(Http.json(r.body()).at("/error/code").asText()).isEqualTo("server_overloaded");

        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-fault", "cut:5", "x-sim-output-tokens", "30"));
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/chat/completions", chat(SluiceHarness.MODEL, true, ""), "authorization", "Bearer " + SluiceHarness.GATEWAY_KEY,
                    "anthropic-version", "");
            assertThat(raw.readHead()).isEqualTo(200);
            List<RawHttp.TimedEvent> events = raw.remainingEvents();
            JsonNode last = Http.json(events.getLast().data());
            assertThat(last.at("/error/type").asText()).isEqualTo("api_error");
            assertThat(raw.ended()).isTrue();
        }
    }

    @Test
    void theModelListIsOpenAisShapeForOpenAiClientsAndAnthropicsForAnthropicClients() {
        HttpResponse<String> openAi = Http.send(openAi("/v1/models").GET().build());
        assertThat(openAi.statusCode()).as(openAi.body()).isEqualTo(200);
        JsonNode list = Http.json(openAi.body());
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.at("/data/0/object").asText()).isEqualTo("model");
        assertThat(list.at("/data/0/owned_by").asText()).isEqualTo("anthropic");
        assertThat(list.at("/data/0/created").asLong()).isPositive();

        HttpResponse<String> prefixed = Http.send(openAi("/openai/v1/models").GET().build());
        assertThat(Http.json(prefixed.body()).path("object").asText()).isEqualTo("list");
        HttpResponse<String> one = Http.send(openAi("/openai/v1/models/" + SluiceHarness.MODEL).GET().build());
        assertThat(Http.json(one.body()).path("id").asText()).isEqualTo(SluiceHarness.MODEL);
        assertThat(Http.json(one.body()).path("object").asText()).isEqualTo("model");

        HttpResponse<String> anthropic = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models").GET().build());
        assertThat(Http.json(anthropic.body()).has("has_more")).isTrue();
        assertThat(Http.json(anthropic.body()).at("/data/0/type").asText()).isEqualTo("model");
    }

    @Test
    void embeddingsPassThroughToTheOpenAiUpstreamAndAreMetered() {
        HttpResponse<String> r = post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"one sentence\",\"another one\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Http.json(r.body());
        assertThat(answer.path("data")).hasSize(2);
        assertThat(answer.at("/data/0/object").asText()).isEqualTo("embedding");
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/v1/embeddings");
        assertThat(received.header("authorization")).isEqualTo("Bearer sk-openai-test-1");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(answer.at("/usage/prompt_tokens").asLong()).isEqualTo(billed.inputTokens()).isPositive();
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        JsonNode attempt = records.path("attempts").get(0);
        assertThat(attempt.at("/usage/input_tokens").asLong()).isEqualTo(billed.inputTokens());
        assertThat(attempt.path("served_model").asText()).isEqualTo("text-embedding-3-small");
        // $0.02 per million input tokens.
        assertThat(new java.math.BigDecimal(records.path("cost_usd").asText())).isEqualByComparingTo(
                java.math.BigDecimal.valueOf(billed.inputTokens() * 20L, 9));

        HttpResponse<String> bad = post("/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad.body()).at("/error/message").asText()).startsWith("input:");
        HttpResponse<String> toClaude = post("/v1/embeddings", "{\"model\":\"claude-sonnet-4-5\",\"input\":\"x\"}");
        assertThat(toClaude.statusCode()).isEqualTo(501);
    }

    @Test
    void aChatCompletionCanAlsoGoToAnOpenAiUpstream() {
        HttpResponse<String> r = post("/openai/v1/chat/completions", chat("gpt-4.1", true, ",\"stream_options\":{\"include_usage\":true}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> chunks = data(r.body());
        assertThat(chunks.getLast()).isEqualTo("[DONE]");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(Http.json(chunks.get(chunks.size() - 2)).at("/usage/completion_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(SLUICE.recorder().received().getLast().uri()).isEqualTo("/v1/chat/completions");
    }

    /**
     * What the attack round found accepted with a 200 (dropped fields, wrong types, duplicate keys, deep nesting):
     * each a 400 in OpenAI's envelope naming the field, and nothing sent upstream.
     */
    @Test
    void whatCannotBeHonouredIsA400NamingTheFieldAndNothingGoesUpstream() {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put(",\"reasoning_effort\":\"extreme\"", new String[] {"reasoning_effort", "unsupported_value"});
        cases.put(",\"functions\":[{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}]", new String[] {"functions", "unsupported_parameter"});
        cases.put(",\"function_call\":\"auto\"", new String[] {"function_call", "unsupported_parameter"});
        cases.put(",\"modalities\":[\"text\",\"audio\"]", new String[] {"modalities", "unsupported_value"});
        cases.put(",\"audio\":{\"voice\":\"alloy\",\"format\":\"mp3\"}", new String[] {"audio", "unsupported_parameter"});
        cases.put(",\"seed\":7", new String[] {"seed", "unsupported_parameter"});
        cases.put(",\"tools\":\"x\"", new String[] {"tools", "invalid_type"});
        cases.put(",\"stop\":5", new String[] {"stop", "invalid_type"});
        cases.put(",\"n\":1.5", new String[] {"n", "invalid_type"});
        cases.put(",\"response_format\":\"text\"", new String[] {"response_format", "invalid_type"});
        cases.put(",\"model\":\"claude-opus-4-1\"", new String[] {"model", null});
        int before = SLUICE.recorder().received().size();
        cases.forEach((extra, expected) -> {
            HttpResponse<String> r = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false, extra));
            assertThat(r.statusCode()).as(extra + " -> " + r.body()).isEqualTo(400);
            JsonNode error = Http.json(r.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("param").asText()).as(r.body()).isEqualTo(expected[0]);
            assertThat(error.path("code").isNull() ? null : error.path("code").asText()).as(r.body()).isEqualTo(expected[1]);
            assertThat(error.path("message").asText()).startsWith(expected[0] + ": ");
        });
        // "yes" is not true: a caller asking for a stream this way gets a 400, not a whole answer it did not expect.
        String yes = chat(SluiceHarness.MODEL, false, "").replace("\"stream\":false", "\"stream\":\"yes\"");
        HttpResponse<String> r = post("/v1/chat/completions", yes);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Http.json(r.body()).at("/error/param").asText()).isEqualTo("stream");

        String deep = chat(SluiceHarness.MODEL, false, ",\"x\":" + "[".repeat(300) + "]".repeat(300));
        HttpResponse<String> nested = post("/v1/chat/completions", deep);
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(Http.json(nested.body()).at("/error/message").asText()).contains("nested deeper than 256 levels");
        assertThat(SLUICE.recorder().received()).hasSize(before);

        HttpResponse<String> fine = post("/v1/chat/completions", chat(SluiceHarness.MODEL, false,
                ",\"prediction\":{\"type\":\"content\",\"content\":\"hello\"},\"reasoning_effort\":\"none\",\"modalities\":[\"text\"]"));
        assertThat(fine.statusCode()).as(fine.body()).isEqualTo(200);
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.has("prediction") || sent.has("thinking")).isFalse();
    }
}
