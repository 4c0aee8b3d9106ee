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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stages that read the canonical form serve Responses requests as they serve any: automatic prompt-cache breakpoints
 * for a Claude upstream (Codex CLI's long instructions are cached as Claude Code's are), and the response cache, whose
 * hit is replayed through the Responses encoder.
 */
class ResponsesPipelineTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
            routes:
              - {match: "*", upstream: anthropic}
            cache:
              defaults: {mode: on}
            """);

    /** Instructions (~10,000 tokens) and a user turn long enough to be marked, unique so no other test's answer is cached. */
    private static String ask(boolean stream) {
        String instructions = "Session " + UUID.randomUUID() + ". " + "Keep diffs small and explain them. ".repeat(1200);
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"stream\":" + stream + ",\"max_output_tokens\":200,\"instructions\":\""
                + instructions + "\",\"input\":\"Where is the bug?\"}";
    }

    private static HttpResponse<String> post(String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/responses")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aClaudeUpstreamGetsAutomaticBreakpoints() {
        HttpResponse<String> r = post(ask(false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-prompt-cache-auto")).hasValue("2");
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.at("/system/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(sent.at("/messages/0/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void aResponseCacheHitIsReplayedAsAResponse() throws Exception {
        for (boolean stream : new boolean[] {false, true}) {
            String body = ask(stream);
            HttpResponse<String> miss = post(body);
            assertThat(miss.headers().firstValue("x-sluice-cache")).hasValue("miss");
            int sent = SLUICE.recorder().received().size();
            HttpResponse<String> hit = post(body);
            for (int i = 0; i < 50 && !hit.headers().firstValue("x-sluice-cache").orElse("").equals("hit"); i++) {
                Thread.sleep(100); // the miss's answer is stored as it completes
                hit = post(body);
            }
            assertThat(hit.headers().firstValue("x-sluice-cache")).hasValue("hit");
            assertThat(SLUICE.recorder().received()).hasSize(sent);
            JsonNode response = stream ? Http.json(last(hit.body())).path("response") : Http.json(hit.body());
            assertThat(response.path("object").asText()).isEqualTo("response");
            assertThat(response.path("status").asText()).isEqualTo("completed");
            assertThat(response.at("/output/0/content/0/text").asText()).isNotBlank();
        }
    }

    /** The data of a stream's last frame. */
    private static String last(String sse) {
        String[] frames = sse.strip().split("\n\n");
        String frame = frames[frames.length - 1];
        return frame.substring(frame.indexOf("data: ") + 6);
    }
}
