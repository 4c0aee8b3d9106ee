package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal data in a streamed answer ({@code guard.answers: flag}), through the gateway: a card number and an IBAN split
 * across text deltas are recorded for the caller whose policy turns those rules on, and not for a caller whose policy
 * does not (personal data is off unless a policy turns it on). The answer reaches the client unchanged either way.
 */
class StreamedPersonalDataTest {
    private static final String ANSWER = "Refund card 4539 1488 0343 6467 to IBAN GB43 BUKB 2020 1555 5555 69 today.";
    @TempDir
    static Path dir;
    private static StubServer upstream;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = StubServer.start((req, b) -> req.response().putHeader("content-type", "text/event-stream").end(sse()));
        gateway = SluiceHarness.await(Gateway.start(new ConfigLoader(Map.of()).parse("test", """
                server: {port: 0, event-loops: 1}
                upstreams: [{name: scripted, base-url: "http://127.0.0.1:%d", keys: [{alias: k, value: sk-up}]}]
                store: {data-dir: "%s"}
                telemetry: {audit-log: "%s"}
                guard:
                  enabled: true
                  answers: flag
                  policies:
                    - match: {model: "claude-*haiku*"}
                      rules: {pii: [credit-card, iban]}
                """.formatted(upstream.port(), dir.resolve("data"), dir.resolve("audit.jsonl")))));
    }

    /** The answer in deltas of five characters: both numbers are split, several times. */
    private static String sse() {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < ANSWER.length(); i += 5) {
            pieces.add(ANSWER.substring(i, Math.min(ANSWER.length(), i + 5)));
        }
        return AnthropicSse.textAnswer(SluiceHarness.MODEL, 10, pieces, "end_turn", 30);
    }

    private static String request(String model) {
        return Http.userMessage("Which card was refunded?", true).replace(SluiceHarness.MODEL, model);
    }

    @AfterAll
    static void stop() {
        SluiceHarness.await(gateway.stop());
        upstream.close();
    }

    @Test
    void theCallersPolicyDecidesWhetherPersonalDataInAStreamedAnswerIsRecorded() {
        HttpResponse<String> covered = Http.post(gateway.baseUrl(), "/v1/messages", request("claude-3-5-haiku-latest"));
        assertThat(covered.statusCode()).isEqualTo(200);
        assertThat(covered.body()).isEqualTo(sse());
        String guard = Turns.auditLine(dir.resolve("audit.jsonl"), covered.headers().firstValue("request-id").orElseThrow())
                .path("guard").asText();
        assertThat(guard).contains("answer credit-card@content[0] (text), line 1").contains("iban@content[0] (text), line 1");

        HttpResponse<String> uncovered = Http.post(gateway.baseUrl(), "/v1/messages", request(SluiceHarness.MODEL));
        assertThat(uncovered.statusCode()).isEqualTo(200);
        assertThat(uncovered.body()).isEqualTo(sse());
        assertThat(Turns.auditLine(dir.resolve("audit.jsonl"), uncovered.headers().firstValue("request-id").orElseThrow())
                .path("guard").asText()).doesNotContain("credit-card").doesNotContain("iban");
    }
}
