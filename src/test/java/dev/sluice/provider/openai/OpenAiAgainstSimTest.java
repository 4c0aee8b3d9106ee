package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.Exchange;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAI adapter against the simulated chat-completions endpoint: chunked tool calls, the usage chunk, caching. */
class OpenAiAgainstSimTest {
    private static SimServer sim;

    @BeforeAll
    static void start() {
        sim = Exchange.await(SimServer.start(Exchange.VERTX, SimOptions.defaults().withInstances(1).withMinCacheableTokens(16)));
    }

    @AfterAll
    static void stop() {
        Exchange.await(sim.close());
    }

    private static OpenAiTarget target(OpenAiTarget.Flavor flavor) {
        return new OpenAiTarget(URI.create(sim.baseUrl()), flavor, "gpt-4.1", "sk-openai-sim",
                flavor == OpenAiTarget.Flavor.AZURE ? "2024-10-21" : null, null);
    }

    private static Usage billed(BilledUsage b) {
        return new Usage(b.inputTokens(), b.outputTokens(), 0, b.cacheReadInputTokens(), 0, 0, 0, 0);
    }

    @Test
    void streamedToolCallRoundTripsWithExactUsageAndCachedTokens() {
        byte[] body = OpenAiFixtures.bytes("/providers/openai/request-conversation.json");
        for (int turn = 0; turn < 2; turn++) {
            OpenAiDecoder decoder = new OpenAiDecoder();
            Exchange ex = Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.OPENAI), Operation.MESSAGES,
                    RequestBody.of(body), true), decoder, MultiMap.caseInsensitiveMultiMap().add("x-sim-tool", "Read"));
            assertThat(ex.status).isEqualTo(200);
            Message m = ex.message();
            assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
            assertThat(m.content().getLast().asToolUse().name()).isEqualTo("Read");
            assertThat(m.content().getLast().asToolUse()._input().toString()).contains("file_path");
            assertThat(decoder.report().complete()).isTrue();
            assertThat(decoder.report().estimated()).isFalse();
            BilledUsage b = sim.recorder().billed().getLast();
            assertThat(decoder.report().usage()).isEqualTo(billed(b));
            if (turn == 1) {
                assertThat(decoder.report().usage().cacheReadInputTokens()).as("cached_tokens on the second turn").isPositive();
            }
        }
    }

    @Test
    void chunksThreeHundredMillisecondsApartStayApart() {
        // Warm up first (class loading on either side of a cold first chunk would shorten the first gap).
        Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.OPENAI), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                true), new OpenAiDecoder(), null);
        OpenAiDecoder decoder = new OpenAiDecoder();
        Exchange ex = Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.OPENAI), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                true), decoder, MultiMap.caseInsensitiveMultiMap().add("x-sim-event-gap-ms", "300").add("x-sim-output-tokens", "3"));
        // Canonical events born of one chunk share its arrival; chunks themselves are not held back and
        // merged. A loaded machine can delay one chunk by a good part of a slot (and so shorten the next
        // gap), but two chunks sent 300 ms apart never arrive within 100 ms of each other unless the
        // decoder buffered them; and the last arrives at least five slots after the first. Arrivals within
        // 20 ms are one chunk: a stalled machine can hand one chunk over in two reads (CI saw 907 and 908 ms).
        java.util.List<Long> t = ex.arrivalMillis;
        java.util.List<Long> distinct = new java.util.ArrayList<>();
        for (long at : t) {
            if (distinct.isEmpty() || at - distinct.getLast() > 20) {
                distinct.add(at);
            }
        }
        assertThat(distinct.size()).as("role, three deltas, finish, usage: six chunk arrivals " + t).isEqualTo(6);
        for (int i = 1; i < distinct.size(); i++) {
            long gap = distinct.get(i) - distinct.get(i - 1);
            assertThat(gap).as("gap " + gap + " in " + t).isGreaterThan(100);
        }
        assertThat(distinct.getLast() - distinct.getFirst()).as("first to last in " + t).isGreaterThanOrEqualTo(5 * 300 - 30);
    }

    @Test
    void upstreamFacadeMapsClaudeNamesToTheUpstreamsModel() throws Exception {
        OpenAiUpstream upstream = new OpenAiUpstream(URI.create(sim.baseUrl()), OpenAiTarget.Flavor.COMPATIBLE, "sk-local", null,
                null, java.util.Map.of("claude-sonnet-4-5", "qwen3-coder:30b"));
        var call = Exchange.await(upstream.call(Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                false, "claude-sonnet-4-5"));
        Exchange ex = Exchange.send(sim.port(), call, upstream.decoder(), null);
        assertThat(ex.status).isEqualTo(200);
        JsonNode sent = Json.MAPPER.readTree(sim.recorder().received().getLast().body());
        assertThat(sent.get("model").asText()).isEqualTo("qwen3-coder:30b");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(8);
    }

    @Test
    void azureNonStreamWithApiKey() throws Exception {
        OpenAiDecoder decoder = new OpenAiDecoder();
        Exchange ex = Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.AZURE), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"claude-x\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), false),
                decoder, null);
        assertThat(ex.status).isEqualTo(200);
        assertThat(ex.bodyMessage().content().getFirst().asText().text()).isNotBlank();
        assertThat(decoder.report().usage()).isEqualTo(billed(sim.recorder().billed().getLast()));
        assertThat(sim.recorder().received().getLast().uri()).isEqualTo("/openai/deployments/gpt-4.1/chat/completions?api-version=2024-10-21");
        assertThat(sim.recorder().billed().getLast().upstreamKey()).isEqualTo("sk-openai-sim");
    }

    @Test
    void upstreamFaultsMapToAnthropicTypes() throws Exception {
        OpenAiDecoder decoder = new OpenAiDecoder();
        Exchange ex = Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.OPENAI), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), false),
                decoder, MultiMap.caseInsensitiveMultiMap().add("x-sim-fault", "429"));
        assertThat(ex.status).isEqualTo(429);
        JsonNode e = Json.MAPPER.readTree(ex.body.getBytes());
        assertThat(e.at("/error/type").asText()).isEqualTo("rate_limit_error");

        OpenAiDecoder mid = new OpenAiDecoder();
        Exchange s = Exchange.send(sim.port(), OpenAiRequests.build(target(OpenAiTarget.Flavor.OPENAI), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                true), mid, MultiMap.caseInsensitiveMultiMap().add("x-sim-fault", "error-event:4"));
        assertThat(s.events.getLast().type()).isEqualTo("error");
        assertThat(mid.report().complete()).isFalse();
    }
}
