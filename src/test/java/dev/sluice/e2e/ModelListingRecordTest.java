package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A model listing forwarded upstream serves no model: its ledger record names none, though the route that carried it
 * rewrites models (a report by model would otherwise count every listing as a request of the rewrite target).
 */
class ModelListingRecordTest {
    @Test
    void aForwardedListingIsRecordedWithoutAServedModel() throws Exception {
        String yaml = SluiceHarness.BASE_YAML + """
                routes:
                  - name: all
                    targets: [{upstream: sim, model: claude-haiku-4-5-20251001}]
                """;
        try (SluiceHarness h = SluiceHarness.start(yaml)) {
            HttpResponse<String> list = Http.send(Http.request(h.gatewayUrl(), "/v1/models").GET().build());
            assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            assertThat(h.recorder().received()).hasSize(1);
            JsonNode call = Http.record(h.gatewayUrl(), Http.requestId(list)); // fails when the listing has no record
            assertThat(call.path("attempts")).hasSize(1);
            assertThat(call.path("attempts").get(0).path("served_model").isNull()).as(call.toString()).isTrue();
        }
    }
}
