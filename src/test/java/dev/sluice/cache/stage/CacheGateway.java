package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.Gateway;
import dev.sluice.cache.CacheCounters;
import dev.sluice.sim.SimRecorder;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A real gateway with the response cache on, over the simulated upstream, for the cache's end-to-end tests:
 * an admin key to issue developers' keys in organizations, its own data directory (so reports see only this
 * test's ledger), and helpers to send Messages calls and wait for captures to be stored.
 */
final class CacheGateway implements AutoCloseable {
    static final String ADMIN = "admin-cache-test-key";
    static final String MODEL = SluiceHarness.MODEL;

    private final SluiceHarness harness;
    private final String yaml;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> created = new HashSet<>();

    private CacheGateway(SluiceHarness harness, String yaml) {
        this.harness = harness;
        this.yaml = yaml;
    }

    /** {@code extraYaml} holds the {@code cache:} section and anything else the test needs. */
    static CacheGateway start(Path dataDir, String extraYaml) {
        return start(dataDir, "", extraYaml);
    }

    /** {@code moreUpstreams}: YAML list items appended to the simulator's {@code upstreams:} list. */
    static CacheGateway start(Path dataDir, String moreUpstreams, String extraYaml) {
        String yaml = SluiceHarness.BASE_YAML + moreUpstreams + "admin: {keys: [{value: " + ADMIN + ", role: write}]}\n"
                + "store: {data-dir: \"" + dataDir + "\"}\n" + extraYaml;
        return new CacheGateway(SluiceHarness.start(yaml), yaml);
    }

    Gateway gateway() {
        return harness.gateway();
    }

    SluiceHarness harness() {
        return harness;
    }

    SimRecorder upstream() {
        return harness.recorder();
    }

    String url() {
        return harness.gatewayUrl();
    }

    /** Applies the start configuration with {@code replace} swapped for {@code with}, as a reload would. */
    void reload(String replace, String with) {
        if (!yaml.contains(replace)) {
            throw new IllegalArgumentException("not in the configuration: " + replace);
        }
        gateway().live().apply(yaml.replace(replace, with), "test.yaml", "test", "test reload");
    }

    /** Issues a key for {@code user} in {@code team} of {@code org}, creating them on first use. */
    String key(String org, String team, String user) {
        return key(org, team, user, null);
    }

    /** As {@link #key(String, String, String)}, with a monthly cap in USD (null: none). */
    String key(String org, String team, String user, String monthlyCapUsd) {
        if (created.add("org:" + org)) {
            admin("POST", "/admin/orgs", "{\"id\":\"" + org + "\"}");
        }
        if (created.add("team:" + team)) {
            admin("POST", "/admin/teams", "{\"id\":\"" + team + "\",\"org_id\":\"" + org + "\"}");
        }
        if (created.add("user:" + user)) {
            admin("POST", "/admin/users", "{\"id\":\"" + user + "\",\"team_id\":\"" + team + "\"}");
        }
        String cap = monthlyCapUsd == null ? "" : ",\"monthly_cap_usd\":" + monthlyCapUsd;
        return admin("POST", "/admin/keys", "{\"user_id\":\"" + user + "\"" + cap + "}").get("key").asText();
    }

    JsonNode admin(String method, String path, String body) {
        HttpResponse<String> r = adminCall(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return json(r.body());
    }

    HttpResponse<String> adminCall(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("authorization", "Bearer " + ADMIN)
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POST /v1/messages with {@code key}, extra headers as name, value pairs. */
    HttpResponse<String> post(String key, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** POST /v1/chat/completions (the OpenAI front door) with {@code key}, extra headers as name, value pairs. */
    HttpResponse<String> postOpenAi(String key, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).header("authorization", "Bearer " + key).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A Messages body asking {@code text} of the test model. */
    static String ask(String text, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":" + quote(text) + "}]}";
    }

    static String quote(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

    static String cacheStatus(HttpResponse<String> r) {
        return r.headers().firstValue("x-sluice-cache").orElse("(none)");
    }

    /** The cache's counters now. */
    CacheCounters.Counts counts() {
        return gateway().cache().counts();
    }

    /** Waits until {@code n} captures in all have ended (stored or refused) and none is in progress. */
    CacheCounters.Counts awaitCaptures(long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            CacheCounters.Counts c = counts();
            if (c.stored() + c.notStored() >= n && gateway().cache().storing() == 0) {
                return c;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("captures did not reach " + n + ": " + counts());
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        harness.close();
    }
}
