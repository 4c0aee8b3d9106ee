package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model the price table does not know is billed at the table's default (priced like a current Opus, never at zero),
 * and its ledger record says so ({@code default_priced}), as prices.yaml promises: a placeholder cost finance can find.
 */
class UnknownModelBillingTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @Test
    void anUnknownModelIsBilledAtTheDefaultAndFlagged() {
        String unknown = "{\"model\":\"acme-internal-model-7\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", unknown, "x-sim-output-tokens", "20");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> attempts = Http.attempts(SLUICE.gatewayUrl(), r);
        assertThat(attempts).hasSize(1);
        JsonNode a = attempts.getFirst();
        assertThat(a.path("default_priced").asBoolean()).isTrue();
        long in = a.at("/usage/input_tokens").asLong();
        long out = a.at("/usage/output_tokens").asLong();
        // default: $5 input, $25 output per million tokens
        BigDecimal expected = BigDecimal.valueOf(in * 5 + out * 25, 6);
        assertThat(new BigDecimal(a.path("cost_usd").asText())).isEqualByComparingTo(expected).isPositive();

        HttpResponse<String> known = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("hi", false));
        assertThat(Http.attempts(SLUICE.gatewayUrl(), known).getFirst().path("default_priced").asBoolean()).isFalse();
        assertThat(SluiceHarness.MODEL).isNotEqualTo("acme-internal-model-7");
    }
}
