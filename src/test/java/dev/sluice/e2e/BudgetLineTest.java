package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A developer with a monthly cap, end to end: a virtual key issued through the admin API, Claude
 * Code's usage-limit headers as spend grows, the exact 429 at the line (nothing forwarded), the
 * usage endpoint, a restart that remembers the month, and a revoked key.
 */
class BudgetLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-secret-1";
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private SimServer sim;
    private Gateway gateway;
    @TempDir
    Path data;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        sim = SimServer.start(vertx, SimOptions.defaults()).await();
        startGateway();
    }

    private void startGateway() {
        String yaml = """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: %s, role: write}]}
                upstreams: [{name: sim, base-url: "%s", keys: [{alias: k1, value: sk-sim-1}]}]
                store: {data-dir: "%s"}
                """.formatted(ADMIN, sim.baseUrl(), data);
        gateway = Gateway.start(new ConfigLoader(Map.of()).parse("test", yaml)).await();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop().await();
        }
        vertx.close().await();
    }

    @Test
    void capIsReportedThenEnforcedBeforeForwarding() throws Exception {
        admin("POST", "/admin/orgs", "{\"id\":\"acme\"}");
        admin("POST", "/admin/teams", "{\"id\":\"payments\",\"org_id\":\"acme\"}");
        admin("POST", "/admin/users", "{\"id\":\"ana\",\"team_id\":\"payments\"}");
        JsonNode created = admin("POST", "/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"laptop\",\"monthly_cap_usd\":0.01}");
        String key = created.get("key").asText();
        assertThat(key).startsWith("sk-sluice-");

        // Each call costs about a third of the cap (opus-4: 40 output tokens at $75/M = $0.003 plus input).
        List<String> statuses = new ArrayList<>();
        HttpResponse<String> r = message(key);
        while (r.statusCode() == 200 && statuses.size() < 10) {
            statuses.add(r.headers().firstValue("anthropic-ratelimit-unified-status").orElse("none"));
            assertThat(r.headers().firstValue("anthropic-ratelimit-unified-representative-claim")).hasValue("overage");
            r = message(key);
        }
        assertThat(statuses).startsWith("allowed").contains("allowed_warning");
        int forwarded = sim.recorder().received().size();

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(r.headers().firstValue("anthropic-ratelimit-unified-status")).hasValue("rejected");
        assertThat(r.headers().firstValue("anthropic-ratelimit-unified-overage-disabled-reason")).hasValue("org_spend_cap_reached");
        assertThat(r.headers().firstValue("anthropic-ratelimit-unified-overage-period")).hasValue("monthly");
        assertThat(r.headers().firstValue("anthropic-ratelimit-unified-representative-claim")).isEmpty();
        assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isPositive();
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("billing_error");
        assertThat(error.at("/error/message").asText()).startsWith("spend limit reached for this key (monthly $0.01) · resets ")
                .endsWith(" · ask your platform team for an increase");
        assertThat(message(key).statusCode()).isEqualTo(429);
        assertThat(sim.recorder().received()).hasSize(forwarded);
        // The refusal has no cost record; looking it up says why instead of a bare "no such request".
        HttpResponse<String> lookup = get("/sluice/v1/requests/" + r.headers().firstValue("request-id").orElseThrow(), key);
        assertThat(lookup.statusCode()).isEqualTo(404);
        assertThat(lookup.body()).contains("refused before it reached an upstream");

        JsonNode usage = JSON.readTree(get("/api/oauth/usage", key).body());
        assertThat(usage.at("/extra_usage/monthly_limit").asLong()).isEqualTo(1); // cents
        assertThat(usage.at("/extra_usage/used_credits").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(usage.at("/limits/0/severity").asText()).isEqualTo("critical");

        // A restart reads the month's spend back from the ledger.
        gateway.stop().await();
        startGateway();
        assertThat(message(key).statusCode()).isEqualTo(429);

        admin("POST", "/admin/keys/" + created.get("id").asText() + "/revoke", "{}");
        HttpResponse<String> revoked = message(key);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(JSON.readTree(revoked.body()).at("/error/type").asText()).isEqualTo("authentication_error");
    }

    private HttpResponse<String> message(String key) throws Exception {
        String body = "{\"model\":\"claude-opus-4-20250514\",\"max_tokens\":40,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("x-sim-output-tokens", "40")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("authorization", "Bearer " + ADMIN).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }
}
