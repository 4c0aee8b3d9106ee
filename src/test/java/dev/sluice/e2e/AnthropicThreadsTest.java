package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.NodeClientScript;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TypeScript SDK's tool runner keeps a server-held thread (beta {@code message-threads-2026-08-12}): the first turn
 * creates it, each later turn sends only its new messages with {@code thread: continue}. Through a gateway with two keys
 * on one Anthropic upstream every continue must reach the key that holds the thread (the simulator holds threads per
 * key and answers {@code thread_not_found} elsewhere); thread requests bypass the response cache; and toward an
 * OpenAI-compatible upstream, which would answer without the conversation, the gateway refuses the thread so the SDK
 * sends the whole conversation instead.
 */
class AnthropicThreadsTest {
    private static final String KEY_A = "sk-ant-thread-a";
    private static final String KEY_B = "sk-ant-thread-b";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - {alias: key-a, value: %s}
                  - {alias: key-b, value: %s}
              - name: openai
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
                models: {claude-gpt: gpt-4.1}
            routes:
              - {match: "claude-gpt", upstream: openai}
              - match: "claude-fallback"
                targets: [{upstream: sim, keys: [key-a], priority: 1}, {upstream: openai, model: gpt-4.1, priority: 2}]
              - {match: "*", upstream: sim}
            cache: {}
            """.formatted(KEY_A, KEY_B));

    @TempDir
    Path work;

    @AfterEach
    void clearDirectives() {
        SLUICE.harness().sim().standingDirectives(Map.of());
    }

    private JsonNode tools(Map<String, String> env) throws Exception {
        NodeClientScript script = new NodeClientScript("anthropic-sdk.cjs", work, SLUICE.gatewayUrl(), "zod", "@anthropic-ai/sdk");
        Map<String, String> all = new HashMap<>(env);
        all.put("STEP", "tools");
        return script.run(all);
    }

    @Test
    void everyContinueReachesTheKeyThatHoldsItsThread() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;upto=2"));
        for (String stream : List.of("0", "1", "0", "1")) {
            int received = SLUICE.recorder().received().size();
            int billedBefore = SLUICE.recorder().billed().size();
            JsonNode out = tools(Map.of("STREAM", stream));
            JsonNode messages = out.path("messages");
            // Two calls, then the answer: the third turn saw both results, so each continue had the whole conversation.
            assertThat(messages.size()).as(out.toString()).isEqualTo(3);
            assertThat(messages.at("/0/stop_reason").asText()).isEqualTo("tool_use");
            assertThat(messages.at("/1/stop_reason").asText()).isEqualTo("tool_use");
            assertThat(messages.at("/2/stop_reason").asText()).isEqualTo("end_turn");
            assertThat(messages.at("/2/content/0/text").asText()).contains("Sunny, 21C");

            // Exactly one create and two continues reached the simulator: no thread_not_found, no full replay.
            List<ReceivedRequest> sent = SLUICE.recorder().received().subList(received, SLUICE.recorder().received().size());
            assertThat(sent).hasSize(3);
            List<BilledUsage> billed = SLUICE.recorder().billed().subList(billedBefore, SLUICE.recorder().billed().size());
            assertThat(billed).allSatisfy(b -> assertThat(b.status()).isEqualTo(200));
            assertThat(Http.json(sent.get(0).bodyText()).at("/thread/type").asText()).isEqualTo("create");
            for (int turn = 1; turn < 3; turn++) {
                JsonNode body = Http.json(sent.get(turn).bodyText());
                assertThat(body.at("/thread/type").asText()).isEqualTo("continue");
                assertThat(body.at("/thread/previous_message_id").asText()).isEqualTo(messages.get(turn - 1).path("id").asText());
                assertThat(body.path("messages").size()).as("only the new turn").isEqualTo(1);
                assertThat(sent.get(turn).upstreamKey()).as("turn " + turn + " on the key holding the thread")
                        .isEqualTo(sent.getFirst().upstreamKey());
            }

            // The ledger has each turn once, on the key that served it, with the usage the simulator billed.
            JsonNode calls = out.path("calls");
            assertThat(calls.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), calls.get(i).at("/headers/x-sluice-request-id").asText(), 1)
                        .path("attempts").get(0);
                assertThat(attempt.path("upstream_key_alias").asText()).isEqualTo(alias(sent.get(i).upstreamKey()));
                assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(billed.get(i)));
            }
        }
    }

    @Test
    void threadRequestsBypassTheResponseCache() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;upto=1"));
        // Temperature 0 makes these turns cacheable: only the thread keeps the second run's create from being a hit that
        // hands it the first run's answer id, whose thread is the first run's.
        for (int run = 0; run < 2; run++) {
            int received = SLUICE.recorder().received().size();
            JsonNode out = tools(Map.of("TEMPERATURE", "0"));
            assertThat(out.path("messages").size()).as(out.toString()).isEqualTo(2);
            assertThat(SLUICE.recorder().received().size() - received).isEqualTo(2);
            for (JsonNode call : out.path("calls")) {
                assertThat(call.at("/headers/x-sluice-cache").asText()).isEqualTo("bypass");
            }
        }
    }

    @Test
    void towardAnOpenAiUpstreamTheThreadIsRefusedAndTheSdkSendsTheWholeConversation() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;upto=2"));
        int received = SLUICE.recorder().received().size();
        JsonNode out = tools(Map.of("MODEL", "claude-gpt"));
        JsonNode messages = out.path("messages");
        assertThat(messages.size()).as(out.toString()).isEqualTo(3);
        assertThat(messages.at("/2/content/0/text").asText()).contains("Sunny, 21C");

        // The first call was refused before anything was sent, in the shape the SDK reads as thread_unsupported_request.
        assertThat(out.at("/calls/0/status").asInt()).isEqualTo(400);
        List<ReceivedRequest> sent = SLUICE.recorder().received().subList(received, SLUICE.recorder().received().size());
        assertThat(sent).hasSize(3);
        // The last turn reached the OpenAI upstream with the whole conversation: question, two calls, two results.
        JsonNode last = Http.json(sent.getLast().bodyText());
        assertThat(last.path("messages").toString()).contains("Weather in Lisbon?");
        assertThat(last.path("messages").toString().split("\"tool_call_id\"", -1)).hasSize(3);
    }

    @Test
    void aFallbackFromAnthropicToOpenAiDuringAThreadIsRefusedTheSameWay() throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-tool", "get_weather;upto=2", "x-sim-fault", "500",
                "x-sim-fault-key", KEY_A));
        int received = SLUICE.recorder().received().size();
        JsonNode out = tools(Map.of("MODEL", "claude-fallback"));
        JsonNode messages = out.path("messages");
        assertThat(messages.size()).as(out.toString()).isEqualTo(3);
        assertThat(messages.at("/2/content/0/text").asText()).contains("Sunny, 21C");
        assertThat(out.at("/calls/0/status").asInt()).isEqualTo(400);
        List<ReceivedRequest> sent = SLUICE.recorder().received().subList(received, SLUICE.recorder().received().size());
        // No request with a thread ever reached the OpenAI wire: only the failing Anthropic key saw the create.
        assertThat(sent).filteredOn(r -> !KEY_A.equals(r.upstreamKey())).allSatisfy(r ->
                assertThat(Http.json(r.bodyText()).has("thread")).isFalse());
        JsonNode last = Http.json(sent.getLast().bodyText());
        assertThat(last.path("messages").toString()).contains("Weather in Lisbon?");
        assertThat(last.path("messages").toString().split("\"tool_call_id\"", -1)).hasSize(3);
    }

    private static String alias(String upstreamKey) {
        return KEY_A.equals(upstreamKey) ? "key-a" : KEY_B.equals(upstreamKey) ? "key-b" : upstreamKey;
    }
}
