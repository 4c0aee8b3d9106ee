package dev.sluice.settle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SimGatewayYaml;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code x-sluice-model} names the model the attempt that answered was sent and billed for, as the ledger does. Attack
 * round 32: after an Anthropic primary's 529 the fallback went to an OpenAI upstream that maps the model by its
 * {@code models:} table; the upstream got and billed {@code gpt-4.1}, the ledger said {@code gpt-4.1}, and the header
 * said the route's Claude name, the model the caller would then price the answer by.
 */
class ServedModelHeaderTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SimGatewayYaml.claudeThenOpenAi("sk-openai-fallback"));

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theFallbacksMappedModelIsTheOneNamed(boolean stream) {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("which model answers?", stream),
                "x-sim-fault", "529", "x-sim-fault-key", SluiceHarness.UPSTREAM_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-tried").orElseThrow()).contains("claude/c 529").endsWith("oai/o 200");
        assertThat(SLUICE.recorder().billed()).last().satisfies(b -> assertThat(b.model()).isEqualTo("gpt-4.1"));
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), r);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).path("served_model").asText()).isEqualTo("gpt-4.1");
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue("gpt-4.1");
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("openai");
    }

    /** /metrics files the fallback's spend and traffic under the model the ledger names, as the dashboard reads it. */
    @org.junit.jupiter.api.Test
    void metricsNameTheAnsweringModelAsTheLedgerDoes() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("metrics, which model?", false),
                "x-sim-fault", "529", "x-sim-fault-key", SluiceHarness.UPSTREAM_KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> openai = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(SLUICE.gatewayUrl() + "/metrics")).build()).body().lines()
                .filter(l -> (l.startsWith("sluice_requests_total{") || l.startsWith("sluice_cost_usd_total{"))
                        && l.contains("provider=\"openai\""))
                .toList();
        assertThat(openai).as("OpenAI's answers are counted").isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("model=\"gpt-4.1\"").doesNotContain(SluiceHarness.MODEL));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFirstChoiceNamesItsOwnModel(boolean stream) {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("and now?", stream));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue(SluiceHarness.MODEL);
        assertThat(Http.attempts(SLUICE.gatewayUrl(), r)).singleElement()
                .satisfies(a -> assertThat(a.path("served_model").asText()).isEqualTo(SluiceHarness.MODEL));
    }
}
