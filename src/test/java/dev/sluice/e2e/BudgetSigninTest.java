package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With sign-in on, Claude Code's usage vocabulary is rendered by sign-in from the standings the budgets engine keeps
 * ({@code StandingSource}): the headers on each response and {@code GET /api/oauth/usage} describe the same budget,
 * the same percent and the same reset to the second, and at the line the 429 {@code billing_error}. Sign-in treats
 * every caller alike here, so a static key stands in for a signed-in developer (the device flow is sign-in's own test).
 */
class BudgetSigninTest {

    @Test
    void headersAndTheUsageEndpointAgreeFromFirstRequestToTheLine(@TempDir Path tmp) {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                signin:
                  enabled: true
                  oidc: {issuer: "http://127.0.0.1:9/", client-id: gateway, client-secret: secret}
                budgets:
                  list: [{name: dev, level: key, id: "*", usd: 0.01, period: monthly}]
                """.formatted(tmp.resolve("data")))) {
            // Sonnet 4.5, 540 output tokens: $0.0081 of $0.01.
            HttpResponse<String> r = message(h, 540);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("allowed_warning");
            assertThat(r.headers().firstValue("anthropic-ratelimit-unified-overage-surpassed-threshold")).hasValue("0.75");
            String utilization = r.headers().firstValue("anthropic-ratelimit-unified-overage-utilization").orElseThrow();
            assertThat(Double.parseDouble(utilization)).isBetween(0.80, 0.82);
            long reset = Long.parseLong(r.headers().firstValue("anthropic-ratelimit-unified-overage-reset").orElseThrow());

            JsonNode usage = usage(h);
            assertThat(usage.at("/extra_usage/monthly_limit").asLong()).isEqualTo(1);
            assertThat(usage.at("/limits/0/percent").asLong()).isEqualTo(Math.round(Double.parseDouble(utilization) * 100));
            assertThat(usage.at("/limits/0/group").asText()).isEqualTo("monthly");
            assertThat(usage.at("/limits/0/severity").asText()).isEqualTo("warning");
            assertThat(Instant.parse(usage.at("/limits/0/resets_at").asText()).getEpochSecond()).isEqualTo(reset);

            assertThat(message(h, 540).statusCode()).as("still under the line before it: served, and it crosses").isEqualTo(200);
            HttpResponse<String> refused = message(h, 10);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("billing_error").contains("spend limit reached");
            assertThat(refused.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("rejected");
            assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
            assertThat(refused.headers().firstValue("anthropic-ratelimit-unified-representative-claim")).isEmpty();
            assertThat(Long.parseLong(refused.headers().firstValue("anthropic-ratelimit-unified-overage-reset").orElseThrow())).isEqualTo(reset);
            assertThat(usage(h).at("/limits/0/severity").asText()).isEqualTo("critical");
        }
    }

    private static HttpResponse<String> message(SluiceHarness h, int outputTokens) {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + "/v1/messages")).header("x-api-key", SluiceHarness.GATEWAY_KEY)
                .header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", Integer.toString(outputTokens))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode usage(SluiceHarness h) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.gatewayUrl() + "/api/oauth/usage"))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body());
    }
}
