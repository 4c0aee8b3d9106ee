package dev.sluice.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claude on Microsoft Foundry: Anthropic's wire under the resource's {@code /anthropic} path, its key as
 * {@code x-api-key} or an Entra ID token as a bearer, model names mapped to deployments, and no model listing of
 * its own (the catalog answers).
 */
class FoundryThroughGatewayTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: foundry-key
                provider: foundry
                base-url: ${SIM_URL}/anthropic
                keys: [{alias: foundry-key, value: foundry-api-key-1}]
                models: {claude-sonnet-4-5-20250929: claude-sonnet-4-5}
              - name: foundry-entra
                provider: foundry
                base-url: ${SIM_URL}/anthropic/
                auth: entra
                keys: [{alias: entra, value: eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra.token}]
            routes:
              - {match: "entra-*", upstream: foundry-entra, model: claude-haiku-4-5-20251001}
              - {match: "*", upstream: foundry-key}
            """);

    @Test
    void theKeyGoesAsXApiKeyUnderTheAnthropicPathWithTheDeploymentName() {
        String body = Http.userMessage("hello foundry", false);
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages?beta=true", body, "anthropic-beta", "claude-code-20250219");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.uri()).isEqualTo("/anthropic/v1/messages?beta=true");
        assertThat(received.header("x-api-key")).isEqualTo("foundry-api-key-1");
        assertThat(received.header("anthropic-beta")).isEqualTo("claude-code-20250219");
        assertThat(Http.json(received.bodyText()).path("model").asText()).isEqualTo("claude-sonnet-4-5");
        JsonNode attempt = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1)
                .path("attempts").get(0);
        assertThat(attempt.path("provider").asText()).isEqualTo("foundry");
        assertThat(GatewayCalls.usage(attempt)).isEqualTo(GatewayCalls.usage(SLUICE.recorder().billed().getLast()));
    }

    @Test
    void entraTokensGoAsABearer() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages",
                Http.userMessage("hello entra", false).replace("claude-sonnet-4-5-20250929", "entra-haiku"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        ReceivedRequest received = SLUICE.recorder().received().getLast();
        assertThat(received.header("authorization")).isEqualTo("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra.token");
        assertThat(received.header("x-api-key")).isNull();
    }

    @Test
    void foundryHasNoListingSoTheCatalogAnswers() {
        HttpResponse<String> r = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models?limit=2").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = Http.json(r.body());
        assertThat(list.path("data")).hasSize(2);
        assertThat(list.path("has_more").asBoolean()).isTrue();
        HttpResponse<String> next = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models?limit=2&after_id="
                + list.path("last_id").asText()).GET().build());
        assertThat(Http.json(next.body()).path("first_id").asText()).isNotEqualTo(list.path("first_id").asText());
        HttpResponse<String> bad = Http.send(Http.request(SLUICE.gatewayUrl(), "/v1/models?limit=0").GET().build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
