package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code x-sluice-prompt-cache-auto} says how many breakpoints a Claude upstream was sent: not on an answer that went
 * to no upstream (a response-cache hit) or to an OpenAI fallback (its translation drops the markers), where it would
 * tell an operator reading headers that a prompt cache was written, and its write premium billed, when none was.
 */
class AutoBreakpointHeaderTest {
    /** A Claude upstream that is always overloaded, for the chain's first target. */
    private static final StubServer OVERLOADED = StubServer.start((req, body) -> req.response().setStatusCode(529)
            .putHeader("content-type", "application/json")
            .end("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - {name: anthropic, base-url: "${SIM_URL}", keys: [{alias: a, value: "${UPSTREAM_KEY}"}]}
              - {name: overloaded, base-url: "%s", keys: [{alias: b, value: sk-ant-stub}]}
              - {name: openai, provider: openai, base-url: "${SIM_URL}", keys: [{alias: o, value: sk-openai-test-1}]}
            routing:
              health: {consecutive-failures: 100000, min-requests: 100000}
            routes:
              - name: chain
                match: "chain-*"
                targets: [{upstream: overloaded, model: claude-sonnet-4-5}, {upstream: openai, model: gpt-4.1}]
              - {match: "*", upstream: anthropic}
            cache:
              defaults: {mode: on}
            """.formatted(OVERLOADED.url()));

    @AfterAll
    static void stopStub() {
        OVERLOADED.close();
    }

    /** A chat whose system prompt (~10,000 tokens) and user turn are long enough to be marked. */
    private static String chat(String model) {
        String system = "Session " + UUID.randomUUID() + ". " + "Keep diffs small and explain them. ".repeat(1200);
        return "{\"model\":\"" + model + "\",\"max_tokens\":2000,\"messages\":[{\"role\":\"system\",\"content\":\"" + system
                + "\"},{\"role\":\"user\",\"content\":\"Where is the bug?\"}]}";
    }

    private static HttpResponse<String> send(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aResponseCacheHitSaysNothingWasPlaced() throws Exception {
        String body = chat("claude-sonnet-4-5");
        HttpResponse<String> miss = send(body);
        assertThat(miss.statusCode()).as(miss.body()).isEqualTo(200);
        assertThat(miss.headers().firstValue("x-sluice-cache")).hasValue("miss");
        assertThat(miss.headers().firstValue("x-sluice-prompt-cache-auto")).hasValue("2");

        HttpResponse<String> hit = send(body);
        for (int i = 0; i < 50 && !hit.headers().firstValue("x-sluice-cache").orElse("").equals("hit"); i++) {
            Thread.sleep(100); // the miss's answer is stored as it completes
            hit = send(body);
        }
        assertThat(hit.headers().firstValue("x-sluice-cache")).hasValue("hit");
        assertThat(hit.headers().firstValue("x-sluice-prompt-cache-auto")).as("a hit reached no upstream").isEmpty();
    }

    @Test
    void anOpenAiFallbackSaysNothingWasPlaced() throws Exception {
        HttpResponse<String> r = send(chat("chain-model"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-tried").orElseThrow()).startsWith("overloaded/b ").endsWith("openai/o 200");
        assertThat(SLUICE.recorder().received().getLast().bodyText()).doesNotContain("cache_control");
        assertThat(r.headers().firstValue("x-sluice-prompt-cache-auto")).as("the OpenAI fallback got no markers").isEmpty();
    }
}
