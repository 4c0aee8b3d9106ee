package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.SimGatewayYaml;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream from an OpenAI upstream cut before its closing usage chunk still bills the prompt, flagged as estimated:
 * the upstream read it and bills it, as it bills what it wrote. Attack round 32: such an attempt reached the ledger
 * with 0 input tokens (the chat wire names usage only in its last chunk), so a long Claude Code conversation that fell
 * back to an OpenAI upstream and was cut mid-answer cost its team nothing for a prompt the upstream billed.
 */
class OpenAiCutStreamBillingTest {
    /** Every answer of the one OpenAI upstream is cut after 8 events. */
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SimGatewayYaml.upstreams(
            SimGatewayYaml.openai("sk-openai-cut", "headers: {x-sim-fault: \"cut:8\"}")).routes("- {match: \"*\", upstream: oai}"));

    @Test
    void aCutStreamBillsThePromptItSentAsAnEstimate() {
        String question = "Summarise the design of a write-ahead log in a few paragraphs. ".repeat(40);
        String body = "{\"model\":\"gpt-4.1\",\"max_tokens\":300,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                + Http.quote(question) + "}]}";
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body);
        assertThat(Http.names(Http.events(r.body()))).contains("content_block_delta").last().isEqualTo("error");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.CUT);
        assertThat(billed.inputTokens()).isGreaterThan(200);

        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), r);
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.path("usage_estimated").asBoolean()).isTrue();
            long input = a.path("usage").path("input_tokens").asLong();
            assertThat(input).as("the prompt the upstream billed, estimated from what was sent")
                    .isBetween((long) billed.inputTokens(), 4L * billed.inputTokens());
            assertThat(a.path("usage").path("output_tokens").asLong()).isPositive();
        });
    }
}
