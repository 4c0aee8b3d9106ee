package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version's diff, as the admin API and {@code sluice config show} serve it, shows no secret written out in the file
 * (attack round 27: an upstream key, another operator's admin key, a header's token were in it for every write key).
 */
class VersionDiffSecretsTest {
    private static final String ADMIN_KEY = "sk-admin-from-env-0001";
    private static final String OTHER_ADMIN = "sk-admin-literal-viewer-7";
    private static final String GATEWAY_KEY = "sk-gw-literal-4242";

    @TempDir
    Path dir;

    private String config(String upstreamKey) {
        return """
                server: {port: 0, event-loops: 1}
                auth: {keys: ["%s"]}
                admin:
                  keys:
                    - {value: "${ADMIN_KEY}", role: write, name: ops}
                    - value: %s
                      role: read
                      name: viewer
                upstreams:
                  - name: sim
                    base-url: "http://127.0.0.1:%%d"
                    headers: {X-Upstream-Token: "tok-header-secret-99"}
                    keys: [{alias: k, value: "%s"}]
                routes: [{match: "*", upstream: sim}]
                store: {data-dir: "%s", password: "pg-pass-literal-5"}
                """.formatted(GATEWAY_KEY, OTHER_ADMIN, upstreamKey, dir.resolve("data"));
    }

    @Test
    void theDiffShowsRedactedWhereTheFileWritesASecret() throws Exception {
        SimServer sim = SluiceHarness.startSim();
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, config("sk-up-old-secret-1").formatted(sim.port()));
        ConfigLoader loader = new ConfigLoader(Map.of("ADMIN_KEY", ADMIN_KEY));
        Gateway gateway = Gateway.start(loader.load(file), file, loader).await();
        try {
            Files.writeString(file, config("sk-up-new-secret-2").formatted(sim.port()));
            HttpResponse<String> reload = admin(gateway, "POST", "/admin/config/reload");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            for (int n = 1; n <= 2; n++) {
                HttpResponse<String> shown = admin(gateway, "GET", "/admin/config/versions/" + n);
                assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
                String diff = Http.json(shown.body()).path("diff").asText();
                assertThat(diff).doesNotContain("sk-up-old-secret-1", "sk-up-new-secret-2", OTHER_ADMIN, GATEWAY_KEY,
                        "tok-header-secret-99", "pg-pass-literal-5").contains("<redacted>");
                if (n == 1) { // the whole file: what is not a secret stays readable
                    assertThat(diff).contains("${ADMIN_KEY}").contains("name: viewer").contains("    - value: <redacted>");
                }
            }
            JsonNode second = Http.json(admin(gateway, "GET", "/admin/config/versions/2").body());
            assertThat(second.path("diff").asText()).contains("-    keys: [{alias: k, value: \"<redacted>\"}]")
                    .contains("+    keys: [{alias: k, value: \"<redacted>\"}]");
            // The recorded metadata holds the redacted diff; the version's text stays as written for rollbacks.
            assertThat(Files.readString(dir.resolve("data/config-versions/000002.json"))).doesNotContain("sk-up-new-secret-2");
            assertThat(Files.readString(dir.resolve("data/config-versions/000002.yaml"))).contains("sk-up-new-secret-2");
        } finally {
            gateway.stop().await();
            sim.close().await();
        }
    }

    @Test
    void referencesAndOrdinaryValuesAreNotSecrets() {
        assertThat(ConfigSecrets.literals("""
                auth: {keys: ["${GW_KEY}", "${file:/run/secrets/gw}"]}
                admin: {keys: [{value: "${A}:${B}", role: write, name: ops}]}
                cache: {key-hash: sha256}
                budgets: {counters: {redis-url: "redis://:r3dis-pw@10.0.0.1:6379"}}
                """)).containsExactly("r3dis-pw");
    }

    private static HttpResponse<String> admin(Gateway gateway, String method, String path) {
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("authorization", "Bearer " + ADMIN_KEY).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
