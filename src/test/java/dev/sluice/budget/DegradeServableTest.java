package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A degrade only sends a request where its upstream can serve the cheaper model (round 23). Before, a key past its
 * degrade line asking for {@code gpt-4o} (routed to an OpenAI upstream) was sent there as
 * {@code claude-haiku-4-5-20251001}: a real OpenAI answers 404, so the budget turned a cheaper answer into an error.
 */
class DegradeServableTest {
    private static final String HAIKU = "claude-haiku-4-5-20251001";
    /** Its own ledger: the key's monthly budget must not see other tests' spend (they share the default data dir). */
    @TempDir
    Path data;

    private String yaml(String openaiModels, String chain) {
        return """
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                store: {data-dir: "%s"}
                upstreams:
                  - name: anthropic
                    base-url: ${SIM_URL}
                    keys: [{alias: primary, value: "${UPSTREAM_KEY}"}]
                  - name: openai
                    provider: openai
                    base-url: ${SIM_URL}
                    keys: [{alias: openai-main, value: sk-openai-test-1}]
                %s
                routes:
                  - {match: "gpt-*", upstream: openai}
                  - {match: "*", upstream: anthropic}
                budgets:
                  degrade: %s
                  list:
                    - {name: dev, level: key, id: "*", usd: 10, thresholds: [{at: 1, action: degrade}, {at: 100, action: block}]}
                """.formatted(data, openaiModels, chain);
    }

    private static HttpResponse<String> ask(SluiceHarness h, String model, int output) {
        return Http.post(h.gatewayUrl(), "/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":" + Math.max(1000, output) + ","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + model + " " + output + "\"}]}", "x-sim-output-tokens",
                Integer.toString(output));
    }

    /** Past 1% of $10: 30,000 output tokens on Haiku (the cheapest: never degraded) is $0.15. */
    private static void spendPastTheDegradeLine(SluiceHarness h) {
        HttpResponse<String> r = ask(h, HAIKU, 30_000);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-degraded-from")).isEmpty();
    }

    @Test
    void aModelOfAnotherProviderKeepsItsModelOnItsUpstream() {
        try (SluiceHarness h = SluiceHarness.start(yaml("", "[claude-opus-4-6, claude-sonnet-4-6, " + HAIKU + "]"))) {
            spendPastTheDegradeLine(h);
            HttpResponse<String> gpt = ask(h, "gpt-4o", 100);
            assertThat(gpt.statusCode()).isEqualTo(200);
            assertThat(gpt.headers().firstValue("x-sluice-degraded-from")).isEmpty();
            assertThat(gpt.headers().firstValue("x-sluice-model")).contains("gpt-4o");
            assertThat(Http.json(h.recorder().received().getLast().bodyText()).path("model").asText()).isEqualTo("gpt-4o");
            // a Claude model on Claude's wire still degrades
            HttpResponse<String> sonnet = ask(h, "claude-sonnet-4-6", 100);
            assertThat(sonnet.headers().firstValue("x-sluice-degraded-from")).contains("claude-sonnet-4-6");
            assertThat(sonnet.headers().firstValue("x-sluice-model")).contains(HAIKU);
        }
    }

    @Test
    void anOpenAiUpstreamWithAModelMapDegradesToAModelItLists() {
        String models = "    models: {gpt-4o: gpt-4o, gpt-4o-mini: gpt-4o-mini}";
        try (SluiceHarness h = SluiceHarness.start(yaml(models, "[gpt-4o, " + HAIKU + ", gpt-4o-mini]"))) {
            spendPastTheDegradeLine(h);
            HttpResponse<String> gpt = ask(h, "gpt-4o", 100);
            assertThat(gpt.statusCode()).isEqualTo(200);
            // Haiku is next in the chain and cheaper, but this upstream does not serve it
            assertThat(gpt.headers().firstValue("x-sluice-degraded-from")).contains("gpt-4o");
            assertThat(gpt.headers().firstValue("x-sluice-model")).contains("gpt-4o-mini");
        }
    }
}
