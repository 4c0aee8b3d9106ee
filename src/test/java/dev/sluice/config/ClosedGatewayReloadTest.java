package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Gateway;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway closed by keys issued through the admin API (no static key in the file) stays closed: neither
 * a reload nor a rollback to a version written before the keys were issued opens it. And a second gateway started on
 * the same data dir is refused before it writes anything there.
 */
class ClosedGatewayReloadTest {
    private static final String ADMIN = "sk-admin-closed-gateway-test";

    @TempDir
    Path dir;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop().await();
        }
    }

    private String config(String auth) {
        return """
                server: {port: 0, event-loops: 1}
                admin: {keys: [{value: "%s", role: write, name: ops}]}
                upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-up}]}]
                routes: [{match: "*", upstream: u}]
                store: {data-dir: "%s"}
                %s""".formatted(ADMIN, dir.resolve("data"), auth);
    }

    private Gateway start(Path file) {
        ConfigLoader loader = new ConfigLoader(Map.of());
        return Gateway.start(loader.load(file), file, loader).await();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private int withoutKey() {
        return Http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build()).statusCode();
    }

    @Test
    void issuedKeysKeepTheGatewayClosedThroughReloadsAndRollbacks() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, config(""));
        gateway = start(file);
        // Version 2: an early version that would be open today (auth.open), applied while no key existed yet.
        Files.writeString(file, config("auth: {open: true}\n"));
        assertThat(admin("POST", "/admin/config/reload", null).statusCode()).isEqualTo(200);
        Files.writeString(file, config("auth: {open: false}\n"));
        assertThat(admin("POST", "/admin/config/reload", null).statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/admin/orgs", "{\"id\":\"acme\"}").statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/teams", "{\"id\":\"t\",\"org_id\":\"acme\"}").statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/users", "{\"id\":\"ana\",\"team_id\":\"t\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> issued = admin("POST", "/admin/keys", "{\"user_id\":\"ana\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(withoutKey()).as("closed by the issued key").isEqualTo(401);
        int serving = gateway.live().current().version();

        Files.writeString(file, config("auth: {open: true}\n"));
        HttpResponse<String> reload = admin("POST", "/admin/config/reload", null);
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(400);
        assertThat(reload.body()).contains("without a key").contains("auth.open: true");
        assertThatThrownBy(() -> gateway.live().reload("SIGHUP", "signal")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("without a key");
        HttpResponse<String> rollback = admin("POST", "/admin/config/rollback/2", null);
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(400);
        assertThat(rollback.body()).contains("without a key");
        assertThat(gateway.live().current().version()).isEqualTo(serving);
        assertThat(withoutKey()).isEqualTo(401);
    }

    @Test
    void aSecondGatewayOnTheSameDataDirWritesNoVersion() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, config("auth: {keys: [\"sk-gateway-key-123456\"]}\n"));
        gateway = start(file);
        ConfigVersions versions = new ConfigVersions(dir.resolve("data"));
        int before = versions.list().size();
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, config("auth: {keys: [\"sk-gateway-key-654321\"]}\n"));
        assertThatThrownBy(() -> start(other)).hasMessageContaining("in use");
        assertThat(versions.list()).hasSize(before);
    }
}
