package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenant isolation of the structures two organisations share in one gateway (issue 12): spend caps and counters,
 * usage reports and request lookups, the admin API, and the guard's memory of conversations. (The response cache
 * has its own isolation tests.) Two orgs, each with a developer and a virtual key, made through the admin API.
 */
class TenantIsolationTest {
    static final String WRITE = "sk-admin-tenants-write-0123456789";
    static final String READ = "sk-admin-tenants-read-0123456789";
    /** Its own database: the orgs, users and spend below must not meet another run's. */
    static final Path DATA = tempDir();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
            store: {data-dir: "%s"}
            admin:
              keys: [{value: "%s", role: write, name: ops}, {value: "%s", role: read, name: auditor}]
            guard:
              enabled: true
              policies:
                - match: {org: acme}
                  rules: {pii: [email]}
            """.formatted(DATA, WRITE, READ));

    private static String anaKey;
    private static String eveKey;

    @BeforeAll
    static void tenants() {
        for (String[] t : new String[][] {{"acme", "pay", "ana", "0.000001"}, {"globex", "red", "eve", "100"}}) {
            assertThat(admin(WRITE, "POST", "/admin/orgs", "{\"id\":\"" + t[0] + "\"}").statusCode()).isEqualTo(201);
            assertThat(admin(WRITE, "POST", "/admin/teams", "{\"id\":\"" + t[1] + "\",\"org_id\":\"" + t[0] + "\"}").statusCode()).isEqualTo(201);
            assertThat(admin(WRITE, "POST", "/admin/users", "{\"id\":\"" + t[2] + "\",\"team_id\":\"" + t[1] + "\",\"monthly_cap_usd\":"
                    + t[3] + "}").statusCode()).isEqualTo(201);
        }
        anaKey = Http.json(admin(WRITE, "POST", "/admin/keys", "{\"user_id\":\"ana\"}").body()).path("key").asText();
        eveKey = Http.json(admin(WRITE, "POST", "/admin/keys", "{\"user_id\":\"eve\"}").body()).path("key").asText();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("sluice-tenants");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> admin(String key, String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> as(String key, String text) {
        return Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage(text, false), "x-api-key", key);
    }

    private static HttpResponse<String> get(String key, String path) {
        // setHeader: Http.request already carries the harness's static key, which must not be the one presented.
        return Http.send(Http.request(SLUICE.gatewayUrl(), path).setHeader("x-api-key", key).GET().build());
    }

    @Test
    void oneTenantAtItsCapDoesNotStopAnotherAndReportsShowEachOnlyItsOwn() throws Exception {
        HttpResponse<String> first = as(anaKey, "hello from acme");
        assertThat(first.statusCode()).isEqualTo(200);
        String anasRequest = first.headers().firstValue("x-sluice-request-id").orElseThrow();
        long deadline = System.currentTimeMillis() + 10_000;
        HttpResponse<String> capped;
        do {
            Thread.sleep(100);
            capped = as(anaKey, "again from acme");
        } while (capped.statusCode() == 200 && System.currentTimeMillis() < deadline);
        assertThat(capped.statusCode()).isEqualTo(429);
        assertThat(Http.json(capped.body()).path("error").path("type").asText()).isEqualTo("billing_error");

        HttpResponse<String> eves = as(eveKey, "hello from globex");
        assertThat(eves.statusCode()).isEqualTo(200);

        // Usage: each caller sees its own standing.
        JsonNode anaUsage = Http.json(get(anaKey, "/api/oauth/usage").body());
        JsonNode eveUsage = Http.json(get(eveKey, "/api/oauth/usage").body());
        assertThat(anaUsage.path("extra_usage").path("utilization").asLong()).isGreaterThanOrEqualTo(100);
        assertThat(eveUsage.path("extra_usage").path("monthly_limit").asLong()).isEqualTo(10_000);
        assertThat(eveUsage.path("extra_usage").path("utilization").asLong()).isLessThan(1);

        // A request id is no key to someone else's records: 404, the same as an unknown id.
        assertThat(get(anaKey, "/sluice/v1/requests/" + anasRequest).statusCode()).isEqualTo(200);
        HttpResponse<String> peek = get(eveKey, "/sluice/v1/requests/" + anasRequest);
        assertThat(peek.statusCode()).isEqualTo(404);
        assertThat(peek.body()).doesNotContain("acme").doesNotContain("ana");
    }

    @Test
    void theAdminApiTakesOnlyAdminCredentialsAndReadOnlyMeansReadOnly() {
        assertThat(admin(eveKey, "GET", "/admin/orgs", null).statusCode()).isEqualTo(401);
        assertThat(admin(eveKey, "POST", "/admin/keys", "{\"user_id\":\"ana\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> readOnly = admin(READ, "POST", "/admin/keys", "{\"user_id\":\"ana\"}");
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(Http.json(readOnly.body()).path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(admin(READ, "GET", "/admin/keys?user=ana", null).body()).doesNotContain(anaKey);
        // An admin credential is not a gateway key.
        assertThat(as(WRITE, "hi").statusCode()).isEqualTo(401);
    }

    @Test
    void theGuardsMemoryOfOneTenantsConversationNeverDecidesForAnother() {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Mail the report to ana.silva@acme-payments.io please\"}]}";
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", eveKey).statusCode()).isEqualTo(200);
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8)).isEqualTo(body);
        // The same bytes from acme, whose policy redacts email: scanned under acme's scope, not answered from globex's.
        HttpResponse<String> acme = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", freshAcmeKey());
        assertThat(acme.statusCode()).isEqualTo(200);
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8))
                .doesNotContain("ana.silva@acme-payments.io").contains("[REDACTED:email:");
        // And back: globex's next turn is still forwarded as globex sent it.
        assertThat(Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", eveKey).statusCode()).isEqualTo(200);
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    /** Ana is at her cap after the other test; a second acme developer without one. */
    private static String freshAcmeKey() {
        admin(WRITE, "POST", "/admin/users", "{\"id\":\"bo\",\"team_id\":\"pay\"}");
        return Http.json(admin(WRITE, "POST", "/admin/keys", "{\"user_id\":\"bo\"}").body()).path("key").asText();
    }
}
