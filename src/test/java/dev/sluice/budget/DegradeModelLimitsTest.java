package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A degrade skips a cheaper model that cannot take the request as the client wrote it (round 23): Claude Code's Opus
 * 4.6 turns ask for adaptive thinking, which Haiku 4.5 refuses with a 400, and a {@code max_tokens} above Haiku's
 * 64,000 is refused too. Before, two steps down the README's chain sent such a turn to Haiku. A max_tokens above the
 * cheaper model's limit is lowered to it (Claude Code asks 128,000 of every Opus turn), unless a thinking budget needs it.
 */
class DegradeModelLimitsTest {
    private static final String OPUS = "claude-opus-4-6";
    private static final String HAIKU = "claude-haiku-4-5-20251001";

    private static HttpResponse<String> ask(SluiceHarness h, String model, long maxTokens, String extra, int output) {
        return Http.post(h.gatewayUrl(), "/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"limits " + maxTokens + extra.length() + "\"}]}",
                "x-sim-output-tokens", Integer.toString(output));
    }

    @Test
    void aTurnHaikuCannotTakeGoesOneStepOrStays(@TempDir Path data) {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + "store: {data-dir: \"" + data + "\"}\n" + """
                budgets:
                  degrade: [claude-opus-4-6, claude-sonnet-4-6, %s]
                  list:
                    - {name: dev, level: key, id: "*", usd: 10,
                       thresholds: [{at: 1, action: degrade}, {at: 2, action: degrade}, {at: 100, action: block}]}
                """.formatted(HAIKU))) {
            // past 2% of $10: 50,000 output tokens on Haiku (never degraded) is $0.25
            HttpResponse<String> first = ask(h, HAIKU, 60_000, "", 50_000);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

            HttpResponse<String> plain = ask(h, OPUS, 16_000, "", 100);
            assertThat(plain.headers().firstValue("x-sluice-model")).contains(HAIKU); // two steps down, as before

            HttpResponse<String> adaptive = ask(h, OPUS, 16_000, ",\"thinking\":{\"type\":\"adaptive\"}", 100);
            assertThat(adaptive.statusCode()).isEqualTo(200);
            assertThat(adaptive.headers().firstValue("x-sluice-degraded-from")).contains(OPUS);
            assertThat(adaptive.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-6");

            HttpResponse<String> effort = ask(h, OPUS, 16_000, ",\"output_config\":{\"effort\":\"low\"}", 100);
            assertThat(effort.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-6");

            // Claude Code asks 128,000 of every Opus turn: the degrade lowers max_tokens to what the cheaper model writes
            HttpResponse<String> long_ = ask(h, OPUS, 128_000, ",\"thinking\":{\"type\":\"adaptive\"}", 100);
            assertThat(long_.statusCode()).as(long_.body()).isEqualTo(200);
            assertThat(long_.headers().firstValue("x-sluice-degraded-from")).contains(OPUS);
            assertThat(long_.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-6");
            assertThat(Http.json(h.recorder().received().getLast().bodyText()).path("max_tokens").asLong()).isEqualTo(64_000);

            // a thinking budget at or above the cheaper model's limit cannot go below a lowered max_tokens: no degrade
            HttpResponse<String> budget = ask(h, OPUS, 128_000, ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100000}", 100);
            assertThat(budget.statusCode()).as(budget.body()).isEqualTo(200);
            assertThat(budget.headers().firstValue("x-sluice-degraded-from")).isEmpty();
            assertThat(Http.json(h.recorder().received().getLast().bodyText()).path("max_tokens").asLong()).isEqualTo(128_000);
        }
    }
}
