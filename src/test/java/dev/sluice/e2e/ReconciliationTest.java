package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Gateway;
import dev.sluice.testing.MessagesCalls;
import dev.sluice.config.ConfigLoader;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Usage;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.BilledUsage.Outcome;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.sluice.store.PostgresForTests;

/**
 * Drives a mixed workload through the gateway to the simulated upstream and demands that the ledger
 * holds, token for token and nano-dollar for nano-dollar, what the upstream billed: streams and
 * non-streams, prompt-cache writes and reads, a tool loop, clients that hang up mid-stream (drained),
 * upstream errors before the answer, and a client retrying after one. Streams the upstream itself
 * breaks cannot report final usage; those are checked separately: input and cache counts exact,
 * output estimated and flagged.
 */
class ReconciliationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final MessagesCalls calls = new MessagesCalls(http, () -> this.gateway.baseUrl());
    private Vertx vertx;
    private SimServer sim;
    private Gateway gateway;
    private StoreSettings store;
    @TempDir
    Path data;

    private void start(String disconnect) {
        start(disconnect, StoreSettings.sqlite(data));
    }

    private void start(String disconnect, StoreSettings storeSettings) {
        store = storeSettings;
        vertx = Vertx.vertx();
        sim = SimServer.start(vertx, SimOptions.defaults().withMinCacheableTokens(1024)).await();
        String yaml = """
                server: {port: 0, event-loops: 2}
                upstreams: [{name: sim, base-url: "%s", keys: [{alias: k1, value: sk-sim-1}]}]
                streaming: {on-client-disconnect: %s}
                store: {kind: %s, data-dir: "%s", url: "%s", user: %s, password: %s}
                """.formatted(sim.baseUrl(), disconnect, store.kind(), data, store.jdbcUrl(), store.user(), store.password());
        gateway = Gateway.start(new ConfigLoader(Map.of()).parse("test", yaml)).await();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.stop().await();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void ledgerEqualsWhatTheUpstreamBilled(String kind) throws Exception {
        start("drain", kind.equals("postgres") ? PostgresForTests.freshDatabase(data) : StoreSettings.sqlite(data));
        ObjectNode base = MessagesCalls.claudeCodeBody();
        for (int i = 0; i < 6; i++) {
            assertThat(calls.send(withPrompt(base, "question " + i), Map.of()).statusCode()).isEqualTo(200);
            assertThat(calls.readAll(withPrompt(base, "stream " + i).put("stream", true), Map.of())).contains("message_stop");
        }
        // A tool loop: the upstream asks for Read, the client answers with the result.
        HttpResponse<String> tool = calls.send(withPrompt(base, "read it"), Map.of("x-sim-tool", "Read"));
        assertThat(tool.body()).contains("\"tool_use\"");
        ObjectNode followUp = withToolResult(base, JSON.readTree(tool.body()).get("content").get(0).get("id").asText());
        assertThat(calls.send(followUp, Map.of()).body()).contains("It says");
        // Clients that hang up after the first bytes: the gateway drains the upstream and bills it all.
        for (int i = 0; i < 3; i++) {
            calls.hangUpEarly(withPrompt(base, "bye " + i).put("stream", true));
        }
        // Upstream errors before any answer (the gateway retries each once on its next key, so two
        // attempts, two records each), and a client that retries one.
        assertThat(calls.send(withPrompt(base, "busy"), Map.of("x-sim-fault", "529")).statusCode()).isEqualTo(529);
        assertThat(calls.send(withPrompt(base, "limited"), Map.of("x-sim-fault", "429")).statusCode()).isEqualTo(429);
        assertThat(calls.send(withPrompt(base, "busy"), Map.of()).statusCode()).isEqualTo(200);
        awaitUpstreamDone(6 + 6 + 2 + 3 + 2 + 2 + 1);

        List<BilledUsage> billed = sim.recorder().billed();
        assertThat(billed).extracting(BilledUsage::outcome).doesNotContain(Outcome.CANCELLED, Outcome.CUT);
        gateway.stop().await();
        gateway = null;
        SpendRow ledger = totals();

        assertThat(ledger.attempts()).isEqualTo(billed.size());
        // Reports count requests, not attempts: the 529 and the 429 were each one request with two attempts.
        assertThat(ledger.requests()).isEqualTo(billed.size() - 2);
        assertThat(ledger.estimatedRequests()).isZero();
        assertThat(ledger.inputTokens()).isEqualTo(sum(billed, BilledUsage::inputTokens));
        assertThat(ledger.outputTokens()).isEqualTo(sum(billed, BilledUsage::outputTokens));
        assertThat(ledger.cacheReadTokens()).isEqualTo(sum(billed, BilledUsage::cacheReadInputTokens)).isPositive();
        assertThat(ledger.cacheWrite5mTokens() + ledger.cacheWrite1hTokens())
                .isEqualTo(sum(billed, BilledUsage::cacheCreationInputTokens)).isPositive();
        assertThat(ledger.costNanoUsd()).isEqualTo(expectedCost(billed)).isPositive();
        assertThat(errorTypes()).containsEntry("overloaded_error", 2L).containsEntry("rate_limit_error", 2L)
                .containsEntry("client_closed", 3L).containsEntry(null, (long) billed.size() - 7);
    }

    @Test
    void aStreamsCostCanBeReadBackByItsRequestId() throws Exception {
        start("drain");
        HttpResponse<String> r = calls.send(withPrompt(MessagesCalls.claudeCodeBody(), "stream me").put("stream", true), Map.of());
        assertThat(r.body()).contains("message_stop");
        String id = r.headers().firstValue("x-sluice-request-id").orElseThrow();
        awaitUpstreamDone(1);
        BilledUsage billed = sim.recorder().billed().getFirst();
        HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sluice/v1/requests/" + id))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(call.statusCode()).isEqualTo(200);
        var json = JSON.readTree(call.body());
        assertThat(json.at("/attempts/0/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());
        assertThat(json.at("/attempts/0/stream").asBoolean()).isTrue();
        assertThat(new BigDecimal(json.get("cost_usd").asText()).movePointRight(9).longValueExact())
                .isEqualTo(expectedCost(List.of(billed))).isPositive();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sluice/v1/requests/req_unknown")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void streamsTheUpstreamBreaksKeepExactInputAndFlagTheirOutput() throws Exception {
        start("drain");
        ObjectNode base = MessagesCalls.claudeCodeBody();
        calls.readAll(withPrompt(base, "cut").put("stream", true), Map.of("x-sim-fault", "cut:6"));
        calls.readAll(withPrompt(base, "overloaded").put("stream", true), Map.of("x-sim-fault", "error-event:5"));
        awaitUpstreamDone(2);
        List<BilledUsage> billed = sim.recorder().billed();
        gateway.stop().await();
        gateway = null;
        SpendRow ledger = totals();
        assertThat(ledger.requests()).isEqualTo(2);
        assertThat(ledger.estimatedRequests()).isEqualTo(2);
        assertThat(ledger.inputTokens()).isEqualTo(sum(billed, BilledUsage::inputTokens));
        assertThat(ledger.cacheWrite5mTokens() + ledger.cacheWrite1hTokens() + ledger.cacheReadTokens())
                .isEqualTo(sum(billed, b -> b.cacheCreationInputTokens() + b.cacheReadInputTokens()));
        assertThat(ledger.errorRequests()).isEqualTo(2);
    }

    @Test
    void cancelModeStopsTheUpstreamAndFlagsTheEstimate() throws Exception {
        start("cancel");
        calls.hangUpEarly(withPrompt(MessagesCalls.claudeCodeBody(), "stop").put("stream", true));
        awaitUpstreamDone(1);
        assertThat(sim.recorder().billed().getFirst().outcome()).isEqualTo(Outcome.CANCELLED);
        gateway.stop().await();
        gateway = null;
        SpendRow ledger = totals();
        assertThat(ledger.requests()).isEqualTo(1);
        assertThat(ledger.estimatedRequests()).isEqualTo(1);
        assertThat(ledger.inputTokens() + ledger.cacheWrite5mTokens()).isEqualTo(
                sum(sim.recorder().billed(), b -> b.inputTokens() + b.cacheCreationInputTokens()));
    }

    private Map<String, Long> errorTypes() {
        try (Database db = Database.open(store)) {
            Map<String, Long> byType = new java.util.HashMap<>();
            new SpendReports(db).report(SpendQuery.by("error_type")).forEach(r -> byType.put(r.group().get("error_type"), r.attempts()));
            return byType;
        }
    }

    private SpendRow totals() {
        try (Database db = Database.open(store)) {
            List<SpendRow> rows = new SpendReports(db).report(SpendQuery.by());
            assertThat(rows).hasSize(1);
            return rows.getFirst();
        }
    }

    private static long expectedCost(List<BilledUsage> billed) {
        Meter meter = new Meter(PriceTable.load(null, BigDecimal.ONE));
        long total = 0;
        for (BilledUsage b : billed) {
            if (b.model() != null && b.outcome() == Outcome.COMPLETED) {
                total += meter.cost(b.model(), new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(),
                        b.cacheReadInputTokens(), b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0)).nanoUsd();
            }
        }
        return total;
    }

    private static long sum(List<BilledUsage> billed, java.util.function.ToIntFunction<BilledUsage> f) {
        return billed.stream().mapToLong(f::applyAsInt).sum();
    }

    private void awaitUpstreamDone(int requests) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (sim.recorder().billed().size() < requests && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sim.recorder().billed()).hasSize(requests);
    }

    private static ObjectNode withPrompt(ObjectNode base, String text) {
        ObjectNode copy = base.deepCopy();
        copy.withArray("messages").addObject().put("role", "assistant").put("content", "Noted.");
        copy.withArray("messages").addObject().put("role", "user").put("content", text);
        return copy;
    }

    private static ObjectNode withToolResult(ObjectNode base, String toolUseId) {
        ObjectNode copy = withPrompt(base, "read it");
        ObjectNode assistant = copy.withArray("messages").addObject().put("role", "assistant");
        assistant.putArray("content").addObject().put("type", "tool_use").put("id", toolUseId).put("name", "Read")
                .putObject("input").put("file_path", "/tmp/a.txt");
        ObjectNode user = copy.withArray("messages").addObject().put("role", "user");
        user.putArray("content").addObject().put("type", "tool_result").put("tool_use_id", toolUseId).put("content", "hello world");
        return copy;
    }
}
