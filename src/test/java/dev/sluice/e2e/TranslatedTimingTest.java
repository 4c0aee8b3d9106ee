package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.VertexSim;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.RawHttp.TimedEvent;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SSE timing on every translated path: the simulator sends its events 300 ms apart, and the client must see them
 * as they come, never batched: every gap between what the client receives is a whole number of 300 ms slots (an
 * event with no counterpart on the client's wire, a ping, Bedrock's missing ping, leaves its slot empty).
 */
class TranslatedTimingTest {
    private static final long SLOT = 300;
    private static final long TOLERANCE = 120;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
              - {name: bedrock, provider: bedrock, base-url: "${SIM_URL}", region: us-east-1, auth: sigv4,
                 keys: [{alias: iam, value: "%s:%s"}]}
              - {name: vertex, provider: vertex, base-url: "${SIM_URL}", project: sim-project, region: global,
                 keys: [{alias: token, value: "%s"}]}
              - {name: openai, provider: openai, base-url: "${SIM_URL}", keys: [{alias: o, value: sk-openai-timing}]}
            routes:
              - {match: "bedrock-*", upstream: bedrock, model: claude-sonnet-4-5-20250929}
              - {match: "vertex-*", upstream: vertex, model: claude-sonnet-4-5-20250929}
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            """.formatted(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, VertexSim.STATIC_TOKEN));

    @BeforeAll
    static void warmUp() throws Exception {
        for (String[] path : new String[][] {{"/v1/messages", "bedrock-sonnet"}, {"/v1/messages", "vertex-sonnet"},
                {"/v1/messages", "gpt-4.1"}, {"/v1/chat/completions", SluiceHarness.MODEL}, {"/v1/chat/completions", "gpt-4.1"}}) {
            for (int i = 0; i < 3; i++) {
                stream(path[0], path[1]);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "/v1/messages, bedrock-sonnet",          // Bedrock's binary event stream -> Anthropic SSE
            "/v1/messages, vertex-sonnet",           // Vertex's Anthropic SSE, relayed
            "/v1/messages, gpt-4.1",                 // OpenAI chunks -> Anthropic SSE
            "/v1/chat/completions, claude-sonnet-4-5-20250929", // Anthropic SSE -> OpenAI chunks (front door)
            "/v1/chat/completions, gpt-4.1"          // OpenAI -> canonical -> OpenAI, both translators
    })
    void eventsThreeHundredMillisecondsApartUpstreamArriveThreeHundredMillisecondsApart(String path, String model) throws Exception {
        SLUICE.harness().sim().standingDirectives(Map.of("x-sim-event-gap-ms", Long.toString(SLOT), "x-sim-output-tokens", "4"));
        try {
            List<TimedEvent> events = stream(path, model);
            assertThat(events.size()).as(events.toString()).isGreaterThanOrEqualTo(5);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < events.size(); i++) {
                gaps.add((events.get(i).atNanos() - events.get(i - 1).atNanos()) / 1_000_000);
            }
            long slots = 0;
            for (long gap : gaps) {
                long k = Math.round((double) gap / SLOT);
                if (k == 0 && gap <= TOLERANCE) {
                    continue; // two client frames from one upstream event (OpenAI's usage chunk and [DONE])
                }
                assertThat(k).as("gaps %s", gaps).isGreaterThanOrEqualTo(1);
                assertThat(Math.abs(gap - k * SLOT)).as("gap %d ms of gaps %s", gap, gaps).isLessThanOrEqualTo(TOLERANCE);
                slots += k;
            }
            assertThat(slots).as("the stream was relayed as it came, not at its end: %s", gaps).isGreaterThanOrEqualTo(4);
        } finally {
            SLUICE.harness().sim().standingDirectives(Map.of());
        }
    }

    private static List<TimedEvent> stream(String path, String model) throws Exception {
        String body = path.equals("/v1/messages")
                ? "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"pace\"}]}"
                : "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"pace\"}]}";
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post(path, body);
            assertThat(raw.readHead()).isEqualTo(200);
            List<TimedEvent> events = raw.remainingEvents();
            assertThat(raw.ended()).isTrue();
            return events.stream().filter(e -> !"ping".equals(e.name())).toList();
        }
    }
}
