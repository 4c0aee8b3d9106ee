package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model catalog answers {@code GET /v1/models} (Anthropic's shape, paged, filtered by the caller's
 * allow-list), aliases resolve to the id that goes upstream, and a model outside a caller's allow-list
 * is a 400 naming it before anything is forwarded.
 */
class RoutingCatalogTest {
    static final String CONTRACTOR_KEY = "sk-sluice-contractor-0000";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML.replace(
            "keys: [\"${GATEWAY_KEY}\"]", "keys: [\"${GATEWAY_KEY}\", \"" + CONTRACTOR_KEY + "\"]") + """
            routing:
              models:
                - {id: claude-opus-4-5-20251101, display-name: Claude Opus 4.5, created-at: "2025-11-24T00:00:00Z", aliases: [opus]}
                - {id: claude-sonnet-4-5-20250929, display-name: Claude Sonnet 4.5, aliases: [sonnet, default]}
                - {id: claude-haiku-4-5-20251001, display-name: Claude Haiku 4.5, aliases: [haiku]}
              access:
                - {key: "config key 2", models: ["claude-haiku-*"]}
            """);

    @Test
    void theCatalogIsListedPagedAndFilteredForTheCaller() {
        JsonNode page1 = models("/v1/models?limit=2", SluiceHarness.GATEWAY_KEY);
        assertThat(ids(page1)).containsExactly("claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929");
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        JsonNode page2 = models("/v1/models?limit=2&after_id=" + page1.path("last_id").asText(), SluiceHarness.GATEWAY_KEY);
        assertThat(ids(page2)).containsExactly("claude-haiku-4-5-20251001");
        assertThat(page2.path("has_more").asBoolean()).isFalse();
        assertThat(page1.path("data").get(0).path("display_name").asText()).isEqualTo("Claude Opus 4.5");

        assertThat(ids(models("/v1/models", CONTRACTOR_KEY))).containsExactly("claude-haiku-4-5-20251001");
        assertThat(models("/v1/models/sonnet", SluiceHarness.GATEWAY_KEY).path("id").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(SLUICE.recorder().received()).as("answered by the gateway itself").isEmpty();

        HttpResponse<String> hidden = get("/v1/models/opus", CONTRACTOR_KEY);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(Http.json(hidden.body()).path("error").path("type").asText()).isEqualTo("not_found_error");
        HttpResponse<String> bad = get("/v1/models?limit=0", SluiceHarness.GATEWAY_KEY);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad.body()).path("error").path("message").asText()).contains("limit: '0'");
    }

    @Test
    void theBedrockDoorListsTheCatalogAsInferenceProfilesFilteredForTheCaller() {
        HttpResponse<String> all = get("/bedrock/inference-profiles?typeEquals=SYSTEM_DEFINED", SluiceHarness.GATEWAY_KEY);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(Http.json(all.body()).path("inferenceProfileSummaries").findValuesAsText("inferenceProfileId")).containsExactly(
                "us.anthropic.claude-opus-4-5-20251101-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "us.anthropic.claude-haiku-4-5-20251001-v1:0");
        HttpResponse<String> contractor = get("/bedrock/foundation-models", CONTRACTOR_KEY);
        assertThat(Http.json(contractor.body()).path("modelSummaries").findValuesAsText("modelId"))
                .containsExactly("anthropic.claude-haiku-4-5-20251001-v1:0");
        assertThat(SLUICE.recorder().received()).as("answered by the gateway itself").isEmpty();
    }

    @Test
    void anAliasGoesUpstreamAsItsModelIdAndIsRecordedAsAsked() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                Http.userMessage("alias", false).replace(SluiceHarness.MODEL, "sonnet"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-5-20250929");
        assertThat(SLUICE.recorder().received().getFirst().bodyText()).contains("\"model\":\"claude-sonnet-4-5-20250929\"");
        JsonNode record = FallbackMatrixTest.records(SLUICE.gatewayUrl(), r).getFirst();
        assertThat(record.path("requested_model").asText()).isEqualTo("sonnet");
        assertThat(record.path("served_model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void aDeniedModelIsA400NamingItAndNothingIsForwarded() {
        for (String model : List.of("opus", "claude-sonnet-4-5-20250929", "claude-opus-9")) {
            HttpResponse<String> r = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/messages").setHeader("x-api-key", CONTRACTOR_KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            Http.userMessage("may I", true).replace(SluiceHarness.MODEL, model))).build());
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode error = Http.json(r.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(error.path("message").asText()).contains("'" + model + "'");
        }
        HttpResponse<String> ok = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/messages").setHeader("x-api-key", CONTRACTOR_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        Http.userMessage("may I", false).replace(SluiceHarness.MODEL, "haiku"))).build());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received()).hasSize(1);
    }

    private static HttpResponse<String> get(String path, String key) {
        return Http.send(Http.request(SLUICE.gatewayUrl(), path).setHeader("x-api-key", key).GET().build());
    }

    private static JsonNode models(String path, String key) {
        HttpResponse<String> r = get(path, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("data").forEach(m -> out.add(m.path("id").asText()));
        return out;
    }
}
