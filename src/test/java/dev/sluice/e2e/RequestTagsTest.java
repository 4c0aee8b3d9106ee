package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request tags ({@code x-sluice-tag-<name>}) add to what an administrator set on a key; they cannot restate it. A
 * tag budget on {@code repo=payments} held on a key tagged so, until a caller sent {@code x-sluice-tag-repo: other}
 * and was billed to nobody's budget (attack round 7).
 */
class RequestTagsTest {
    private static final String ADMIN = "sk-admin-tags-1";

    @TempDir
    Path data;
    private SimServer sim;
    private Gateway gateway;

    @BeforeEach
    void start() {
        sim = SluiceHarness.startSim();
        String yaml = """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: %s, role: write, name: ops}]}
                upstreams: [{name: sim, base-url: "${SIM_URL}", keys: [{alias: k1, value: sk-sim-1}]}]
                store: {data-dir: "%s"}
                budgets:
                  list: [{name: pay, level: tag, id: "repo=payments", usd: 100, period: monthly}]
                """.formatted(ADMIN, data);
        gateway = Gateway.start(SluiceHarness.config(yaml, sim.baseUrl()), null, SluiceHarness.loader(sim.baseUrl())).await();
    }

    @AfterEach
    void stop() {
        gateway.stop().await();
        sim.close().await();
    }

    @Test
    void aRequestCannotRestateItsKeysTagsOrNameAReservedOneButMayAddOthers() {
        ok(admin("/admin/orgs", "{\"id\":\"acme\"}"));
        ok(admin("/admin/teams", "{\"id\":\"payments\",\"org_id\":\"acme\"}"));
        ok(admin("/admin/users", "{\"id\":\"ana\",\"team_id\":\"payments\"}"));
        String key = ok(admin("/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"laptop\",\"tags\":{\"repo\":\"payments\"}}"))
                .get("key").asText();

        HttpResponse<String> dodge = message(key, "x-sluice-tag-repo", "other");
        assertThat(dodge.statusCode()).as(dodge.body()).isEqualTo(400);
        assertThat(dodge.body()).contains("invalid_request_error").contains("x-sluice-tag-repo").contains("administrator");

        HttpResponse<String> reserved = message(key, "x-sluice-tag-billing_group", "finance");
        assertThat(reserved.statusCode()).as(reserved.body()).isEqualTo(400);
        assertThat(reserved.body()).contains("x-sluice-tag-billing_group");

        HttpResponse<String> same = message(key, "X-Sluice-Tag-Repo", "payments");
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        HttpResponse<String> added = message(key, "x-sluice-tag-feature", "checkout");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(added.headers().firstValue("x-sluice-budget").orElse("")).as("the tag budget still applies").startsWith("pay ");
    }

    private HttpResponse<String> message(String key, String header, String value) {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages")).header("x-api-key", key)
                .header("anthropic-version", "2023-06-01").header(header, value)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> admin(String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Http.json(r.body());
    }
}
