package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TrustAll;
import dev.sluice.trace.AuditChain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API hardened (issue 12): on a listener of its own ({@code admin.listen}) it is gone from the gateway's
 * port and the admin port serves nothing else; under TLS its answers carry HSTS; every change is an audit line
 * (who, what, on which object, how it ended; never a secret) chained with the request lines, and
 * {@code sluice audit verify} notices an edited line.
 */
class AdminListenerTest {
    static final String ADMIN_KEY = "sk-admin-listener-test-0123456789";

    @TempDir
    Path dir;

    private String yaml(String server) {
        return SluiceHarness.BASE_YAML.replace("  event-loops: 1\n", "  event-loops: 1\n" + server) + """
                admin:
                  listen: "127.0.0.1:0"
                  keys: [{value: "%s", role: write, name: ops-ana}]
                store: {data-dir: "%s"}
                telemetry: {audit-log: "%s"}
                """.formatted(ADMIN_KEY, dir.resolve("data"), dir.resolve("audit.jsonl"));
    }

    private static HttpResponse<String> admin(HttpClient client, String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + ADMIN_KEY).header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminApiLivesOnItsOwnPortAndEveryChangeIsAChainedAuditLine() throws Exception {
        try (SluiceHarness h = SluiceHarness.start(yaml(""))) {
            String adminBase = "http://127.0.0.1:" + h.gateway().adminPort();
            assertThat(h.gateway().adminPort()).isPositive().isNotEqualTo(h.gatewayPort());
            HttpClient client = Http.client();

            // Not on the gateway's port; nothing but the admin API on the admin port.
            HttpResponse<String> onGateway = admin(client, h.gatewayUrl(), "GET", "/admin/orgs", null);
            assertThat(onGateway.statusCode()).isEqualTo(404);
            assertThat(admin(client, adminBase, "POST", "/v1/messages", Http.userMessage("hi", false)).statusCode()).isEqualTo(404);
            assertThat(h.recorder().received()).isEmpty();
            assertThat(admin(client, adminBase, "GET", "/admin/orgs", null).statusCode()).isEqualTo(200);
            // The operators' routing view follows the admin API to its port.
            assertThat(admin(client, h.gatewayUrl(), "GET", "/sluice/v1/routing", null).statusCode()).isEqualTo(404);
            HttpResponse<String> routing = admin(client, adminBase, "GET", "/sluice/v1/routing", null);
            assertThat(routing.statusCode()).isEqualTo(200);
            assertThat(Http.json(routing.body()).has("upstreams")).isTrue();
            // No HSTS over plain HTTP.
            assertThat(admin(client, adminBase, "GET", "/admin/orgs", null).headers().firstValue("strict-transport-security")).isEmpty();

            assertThat(admin(client, adminBase, "POST", "/admin/orgs", "{\"id\":\"acme\",\"name\":\"Acme\"}").statusCode()).isEqualTo(201);
            assertThat(admin(client, adminBase, "POST", "/admin/teams", "{\"id\":\"pay\",\"org_id\":\"acme\"}").statusCode()).isEqualTo(201);
            assertThat(admin(client, adminBase, "POST", "/admin/users", "{\"id\":\"ana\",\"team_id\":\"pay\"}").statusCode()).isEqualTo(201);
            HttpResponse<String> issued = admin(client, adminBase, "POST", "/admin/keys", "{\"user_id\":\"ana\",\"alias\":\"laptop\"}");
            assertThat(issued.statusCode()).isEqualTo(201);
            JsonNode key = Http.json(issued.body());
            String secret = key.path("key").asText();
            assertThat(secret).startsWith("sk-sluice-");
            HttpResponse<String> rotated = admin(client, adminBase, "POST", "/admin/keys/" + key.path("id").asText() + "/rotate", "{}");
            assertThat(rotated.statusCode()).isEqualTo(200);
            String rotatedSecret = Http.json(rotated.body()).path("key").asText();
            assertThat(admin(client, adminBase, "POST", "/admin/teams", "{\"id\":\"pay\",\"org_id\":\"acme\"}").statusCode()).isEqualTo(409);
            h.gateway().live().apply(yaml(""), "test", "ops-bob", "test");

            Path audit = dir.resolve("audit.jsonl");
            List<JsonNode> changes = awaitChanges(audit, 7);
            assertThat(changes).extracting(c -> c.path("action").asText()).containsExactly("POST /admin/orgs", "POST /admin/teams",
                    "POST /admin/users", "POST /admin/keys", "POST /admin/keys/{id}/rotate", "POST /admin/teams", "config.apply");
            assertThat(changes.get(0).path("who").asText()).isEqualTo("ops-ana");
            assertThat(changes.get(0).path("detail").asText()).isEqualTo("status 201; fields: id, name");
            assertThat(changes.get(4).path("object").asText()).isEqualTo(key.path("id").asText());
            assertThat(changes.get(5).path("detail").asText()).startsWith("refused: 409");
            assertThat(changes.get(6).path("who").asText()).isEqualTo("ops-bob");
            String all = Files.readString(audit);
            assertThat(all).doesNotContain(secret).doesNotContain(rotatedSecret).doesNotContain(ADMIN_KEY);
        }
        Path audit = dir.resolve("audit.jsonl");
        assertThat(AuditChain.verify(audit, dir.resolve("data")).ok()).isTrue();
        List<String> lines = Files.readAllLines(audit);
        int i = lines.size() - 2;
        lines.set(i, lines.get(i).replace("ops-ana", "ops-eve"));
        Files.write(audit, lines);
        AuditChain.Result broken = AuditChain.verify(audit, dir.resolve("data"));
        assertThat(broken.ok()).isFalse();
        assertThat(broken.brokenLine()).isEqualTo(i + 1);
    }

    private static List<JsonNode> awaitChanges(Path audit, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<JsonNode> changes = Files.exists(audit) ? Files.readAllLines(audit).stream().map(Http::json)
                    .filter(l -> l.path("kind").asText().equals("admin_change")).toList() : List.of();
            if (changes.size() >= n || System.currentTimeMillis() > deadline) {
                return changes;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void underTlsTheAdminListenerUsesTheCertificateAndSendsHsts() throws Exception {
        try (SluiceHarness h = SluiceHarness.start(yaml("  tls: {self-signed: true}\n"))) {
            HttpClient tls = TrustAll.client();
            String adminBase = "https://127.0.0.1:" + h.gateway().adminPort();
            HttpResponse<String> ok = admin(tls, adminBase, "GET", "/admin/orgs", null);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
            HttpResponse<String> refused = tls.send(HttpRequest.newBuilder(URI.create(adminBase + "/admin/orgs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("strict-transport-security")).hasValue("max-age=31536000");
        }
    }
}
