package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.TcpTap;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration changes while the gateway serves: no request is dropped, new requests see the new
 * version, a bad file is refused while the old version keeps serving, every version is recorded and
 * any can be returned to, and upstream connections survive a reload that leaves their address alone.
 */
class HotReloadTest {
    static final String ADMIN_KEY = "sk-admin-reload-test";
    static final String READ_KEY = "sk-admin-read-only-viewer";

    @TempDir
    Path dir;
    private SimServer sim;
    private TcpTap tap;
    private Gateway gateway;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        sim = SluiceHarness.startSim();
        tap = TcpTap.start(sim.port());
        file = dir.resolve("sluice.yaml");
        Files.writeString(file, config(null));
        ConfigLoader loader = new ConfigLoader(Map.of("ADMIN_KEY", ADMIN_KEY));
        gateway = Gateway.start(loader.load(file), file, loader).await();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.stop().await();
        tap.close();
        sim.close().await();
    }

    /** The configuration with the catch-all route renaming models to {@code model} (null: no rename). */
    private String config(String model) {
        return """
                server: {port: 0, event-loops: 2}
                admin: {keys: [{value: "${ADMIN_KEY}", role: write, name: ops-alice}, {value: "%s", role: read, name: viewer}]}
                upstreams: [{name: sim, base-url: "http://127.0.0.1:%d", keys: [{alias: k, value: sk-sim}]}]
                routes: [{match: "*", upstream: sim%s}]
                store: {data-dir: "%s"}
                """.formatted(READ_KEY, tap.port(), model == null ? "" : ", model: " + model, dir.resolve("data"));
    }

    @Test
    void reloadsUnderLoadDropNoRequestAndNewRequestsSeeTheNewVersion() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<String> servedModels = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        int[] done = new int[8];
        for (int c = 0; c < 8; c++) {
            int client = c;
            clients.submit(() -> {
                while (running.get()) {
                    boolean stream = client % 2 == 0;
                    HttpResponse<String> r = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("load " + client, stream));
                    if (r.statusCode() != 200 || !(stream ? r.body().contains("message_stop") : r.body().contains("\"usage\""))) {
                        problems.add(r.statusCode() + " " + r.body());
                    }
                    done[client]++;
                }
            });
        }
        LiveConfig live = gateway.live();
        int first = live.current().version();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(150);
            String model = i % 2 == 0 ? "claude-haiku-4-5-20251001" : "claude-opus-4-1-20250805";
            Files.writeString(file, config(model));
            live.reload("test", "test");
            HttpResponse<String> after = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("after", false));
            servedModels.add(after.headers().firstValue("x-sluice-model").orElse("?"));
            assertThat(servedModels.getLast()).isEqualTo(model);
        }
        // A file that does not parse is refused; the version serving goes on serving.
        Files.writeString(file, "routes: [{match: \"*\", upstream: nowhere}]\nupstreams: oops\n");
        assertThatThrownBy(() -> live.reload("test", "test")).isInstanceOf(ConfigException.class);
        Files.writeString(file, config(null).replace("upstream: sim", "upstream: missing"));
        assertThatThrownBy(() -> live.reload("test", "test")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing");
        assertThat(live.current().version()).isEqualTo(first + 10);
        Thread.sleep(200);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(problems).as("failed requests during reloads").isEmpty();
        assertThat(java.util.Arrays.stream(done).sum()).isGreaterThan(20);
        assertThat(live.history()).hasSize(first + 10);
    }

    @Test
    void theAdminApiReloadsListsAndRollsBackVersionsAndConnectionsSurvive() throws Exception {
        assertThat(Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("warm", false)).statusCode()).isEqualTo(200);
        int connections = tap.connections();

        Files.writeString(file, config("claude-haiku-4-5-20251001"));
        HttpResponse<String> reload = admin("POST", "/admin/config/reload");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        assertThat(Http.json(reload.body()).path("version").asInt()).isEqualTo(2);
        HttpResponse<String> renamed = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("now", false));
        assertThat(renamed.headers().firstValue("x-sluice-model")).contains("claude-haiku-4-5-20251001");
        // The upstream's address did not change, so its warm connection was used again.
        assertThat(tap.connections()).isEqualTo(connections);

        JsonNode versions = Http.json(admin("GET", "/admin/config/versions").body());
        assertThat(versions.path("current").asInt()).isEqualTo(2);
        assertThat(versions.path("versions")).hasSize(2);
        assertThat(versions.path("versions").get(1).path("who").asText()).isEqualTo("ops-alice");
        JsonNode second = Http.json(admin("GET", "/admin/config/versions/2").body());
        assertThat(second.path("diff").asText()).contains("+routes: [{match: \"*\", upstream: sim, model: claude-haiku-4-5-20251001}]");
        // The diff is the file as written, keys and all: a read credential sees who and when, not the text.
        assertThat(admin("GET", "/admin/config/versions", READ_KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> peek = admin("GET", "/admin/config/versions/2", READ_KEY);
        assertThat(peek.statusCode()).isEqualTo(403);
        assertThat(peek.body()).doesNotContain(READ_KEY).contains("needs role write");
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("data/config-versions/000002.yaml")))).isEqualTo("rw-------");
        }
        // Secrets given as ${ENV} are recorded as written, never substituted.
        assertThat(Files.readString(dir.resolve("data/config-versions/000002.yaml"))).contains("${ADMIN_KEY}").doesNotContain(ADMIN_KEY);

        HttpResponse<String> rollback = admin("POST", "/admin/config/rollback/1");
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        assertThat(Http.json(rollback.body()).path("version").asInt()).isEqualTo(3);
        HttpResponse<String> back = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("back", false));
        assertThat(back.headers().firstValue("x-sluice-model")).contains("claude-sonnet-4-5-20250929");

        Files.writeString(file, "upstreams: 7\n");
        HttpResponse<String> bad = admin("POST", "/admin/config/reload");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad.body()).path("error").path("message").asText()).contains("upstreams");
        assertThat(Http.json(admin("GET", "/admin/config").body()).path("version").asInt()).isEqualTo(3);
        // A version that was never recorded is not found, as GET /admin/config/versions/99 says (it was a 400).
        assertThat(admin("POST", "/admin/config/rollback/99").statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/admin/config/rollback/0").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> admin(String method, String path) {
        return admin(method, path, ADMIN_KEY);
    }

    private HttpResponse<String> admin(String method, String path, String key) {
        return Http.send(HttpRequest.newBuilder(java.net.URI.create(gateway.baseUrl() + path))
                .header("authorization", "Bearer " + key)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
