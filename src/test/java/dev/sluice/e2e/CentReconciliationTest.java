package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Gateway;
import dev.sluice.testing.MessagesCalls;
import dev.sluice.config.ConfigLoader;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every place the gateway states what money went out agrees to the nano-dollar after a mixed run: the ledger's
 * records, {@code sluice report}'s totals, {@code /admin/spend}, the {@code x-sluice-cost-usd} headers of whole
 * answers, the {@code sluice_cost_usd_total} counters of {@code /metrics} and the audit log's lines. The run takes
 * every path an attempt can end on: whole answers and streams with 5-minute and 1-hour prompt-cache writes and reads,
 * a 529 retried on the next key, a fallback to an OpenAI upstream with another price, a client that hangs up
 * mid-stream (drained), a stream the upstream cuts, an error event after the answer began, and response-cache hits.
 */
class CentReconciliationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "sk-admin-cents-0123456789";
    private static final String FAILING_KEY = "sk-ant-first-fails";
    private final HttpClient http = HttpClient.newHttpClient();
    private final MessagesCalls calls = new MessagesCalls(http, () -> this.gateway.baseUrl());
    private Vertx vertx;
    private Gateway gateway;
    @TempDir
    Path data;

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
    void everySurfaceStatesTheSameSpend(String kind) throws Exception {
        StoreSettings store = kind.equals("postgres") ? PostgresForTests.freshDatabase(data) : StoreSettings.sqlite(data);
        vertx = Vertx.vertx();
        SimServer sim = SimServer.start(vertx, SimOptions.defaults().withMinCacheableTokens(1024)).await();
        Path audit = data.resolve("audit.jsonl");
        String yaml = """
                server: {port: 0, event-loops: 2}
                admin: {keys: [{value: %s, role: read, name: auditor}]}
                upstreams:
                  - {name: sim, base-url: "%s", keys: [{alias: first, value: %s}, {alias: second, value: sk-sim-2}]}
                  - {name: broken, base-url: "%s", keys: [{alias: b, value: sk-broken}]}
                  - {name: oai, provider: openai, base-url: "%s", keys: [{alias: o, value: sk-openai-1}]}
                routes:
                  - name: fallback
                    match: "claude-haiku-*"
                    targets:
                      - {upstream: broken, priority: 1}
                      - {upstream: oai, model: gpt-4o-mini, priority: 2}
                  - {match: "*", upstream: sim}
                cache: {}
                streaming: {on-client-disconnect: drain}
                store: {kind: %s, data-dir: "%s", url: "%s", user: %s, password: %s}
                telemetry: {audit-log: "%s", metrics: true}
                """.formatted(ADMIN_KEY, sim.baseUrl(), FAILING_KEY, sim.baseUrl(), sim.baseUrl(), store.kind(), data,
                store.jdbcUrl(), store.user(), store.password(), audit);
        gateway = Gateway.start(new ConfigLoader(Map.of()).parse("test", yaml)).await();

        ObjectNode base = MessagesCalls.claudeCodeBody();
        BigDecimal headers = BigDecimal.ZERO;
        int requests = 0;
        for (int i = 0; i < 4; i++) {
            headers = headers.add(cost(calls.send(withPrompt(base, "question " + i, false), Map.of())));
            assertThat(calls.readAll(withPrompt(base, "stream " + i, true), Map.of())).contains("message_stop");
            headers = headers.add(cost(calls.send(withPrompt(oneHour(base), "hour " + i, false), Map.of())));
            assertThat(calls.readAll(withPrompt(oneHour(base), "hour stream " + i, true), Map.of())).contains("message_stop");
            requests += 4;
        }
        // The same question again: answered by the gateway's cache, no upstream attempt, cost 0.
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> hit = calls.send(withPrompt(base, "question 0", false), Map.of());
            assertThat(hit.headers().firstValue("x-sluice-cache")).contains("hit");
            headers = headers.add(cost(hit));
            requests++;
        }
        // A 529 on the first key, then the second key's answer: two records.
        HttpResponse<String> retried = calls.send(withPrompt(base, "busy", false), Map.of("x-sim-fault", "529", "x-sim-fault-key",
                FAILING_KEY, "x-claude-code-session-id", sessionOnFirstKey()));
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("x-sluice-attempts")).contains("2");
        headers = headers.add(cost(retried));
        requests++;
        // A fallback from a failing Anthropic upstream to an OpenAI one at gpt-4o-mini's price.
        ObjectNode haiku = withPrompt(base, "fall back", false).put("model", "claude-haiku-4-5-20251001");
        HttpResponse<String> fell = calls.send(haiku, Map.of("x-sim-fault", "500", "x-sim-fault-key", "sk-broken"));
        assertThat(fell.statusCode()).as(fell.body()).isEqualTo(200);
        assertThat(fell.headers().firstValue("x-sluice-attempts")).contains("2");
        headers = headers.add(cost(fell));
        requests++;
        fallbackId = fell.headers().firstValue("request-id").orElseThrow();
        // A client gone mid-stream (drained), an upstream cut, an error event after the answer began.
        calls.hangUpEarly(withPrompt(base, "bye", true));
        calls.readAll(withPrompt(base, "cut", true), Map.of("x-sim-fault", "cut:6"));
        calls.readAll(withPrompt(base, "overloaded later", true), Map.of("x-sim-fault", "error-event:5"));
        requests += 3;
        awaitAuditLines(audit, requests);

        SpendRow ledger;
        try (Database db = Database.open(store)) {
            List<SpendRow> rows = new SpendReports(db).report(SpendQuery.by());
            ledger = rows.getFirst();
        }
        BigDecimal ledgerUsd = BigDecimal.valueOf(ledger.costNanoUsd(), 9);
        BigDecimal admin = adminSpend();
        BigDecimal metrics = metricsCost();
        BigDecimal auditSum = auditCost(audit);
        System.out.printf("ledger %s (%d requests, %d attempts, %d estimated) admin %s metrics %s audit %s headers %s%n",
                ledgerUsd.toPlainString(), ledger.requests(), ledger.attempts(), ledger.estimatedRequests(),
                admin.toPlainString(), metrics.toPlainString(), auditSum.toPlainString(), headers.toPlainString());
        assertThat(ledger.requests()).isEqualTo(requests);
        assertThat(lookedUp()).isEqualByComparingTo(headers);
        fallbackPricedAtTheServedModel();
        assertThat(ledgerUsd).isPositive();
        assertThat(admin).isEqualByComparingTo(ledgerUsd);
        assertThat(auditSum).isEqualByComparingTo(ledgerUsd);
        // Prometheus counters are doubles: equal to the cent and far below it.
        assertThat(metrics.subtract(ledgerUsd).abs()).isLessThan(new BigDecimal("0.000000001"));
    }

    private final Map<String, BigDecimal> headerCosts = new java.util.LinkedHashMap<>();

    private BigDecimal cost(HttpResponse<String> r) {
        BigDecimal c = new BigDecimal(r.headers().firstValue("x-sluice-cost-usd").orElseThrow());
        headerCosts.put(r.headers().firstValue("request-id").orElseThrow(), c);
        return c;
    }

    private String fallbackId;

    /** The fallback's failed attempt cost nothing; its answer is priced at gpt-4o-mini's rate, not Haiku's. */
    private void fallbackPricedAtTheServedModel() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sluice/v1/requests/" + fallbackId))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode attempts = JSON.readTree(r.body()).path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.at("/0/status").asInt()).isEqualTo(500);
        assertThat(attempts.at("/0/cost_usd").asText()).isEqualTo("0");
        JsonNode served = attempts.get(1);
        assertThat(served.path("provider").asText()).isEqualTo("openai");
        assertThat(served.path("served_model").asText()).startsWith("gpt-4o-mini");
        dev.sluice.wire.Usage u = new dev.sluice.wire.Usage(served.at("/usage/input_tokens").asLong(),
                served.at("/usage/output_tokens").asLong(), 0, served.at("/usage/cache_read_input_tokens").asLong(), 0, 0, 0, 0);
        long expected = new dev.sluice.settle.Meter(dev.sluice.settle.PriceTable.builtIn()).cost("gpt-4o-mini", u).nanoUsd();
        assertThat(new BigDecimal(served.path("cost_usd").asText())).isEqualByComparingTo(BigDecimal.valueOf(expected, 9))
                .isPositive();
    }

    /** What the gateway's request lookup says each whole answer cost, summed over the answers whose header was read. */
    private BigDecimal lookedUp() throws Exception {
        BigDecimal sum = BigDecimal.ZERO;
        for (String id : headerCosts.keySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/sluice/v1/requests/" + id))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(200);
            BigDecimal c = new BigDecimal(JSON.readTree(r.body()).path("cost_usd").asText());
            assertThat(c).as("request " + id).isEqualByComparingTo(headerCosts.get(id));
            sum = sum.add(c);
        }
        return sum;
    }

    private BigDecimal adminSpend() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/spend"))
                .header("authorization", "Bearer " + ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode row : JSON.readTree(r.body()).path("data")) {
            sum = sum.add(new BigDecimal(row.path("cost_usd").asText()));
        }
        return sum;
    }

    private BigDecimal metricsCost() throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        BigDecimal sum = BigDecimal.ZERO;
        Matcher m = Pattern.compile("(?m)^sluice_cost_usd_total\\{[^}]*\\} (\\S+)$").matcher(text);
        while (m.find()) {
            sum = sum.add(new BigDecimal(m.group(1)));
        }
        return sum;
    }

    private static BigDecimal auditCost(Path audit) throws Exception {
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : Files.readAllLines(audit)) {
            JsonNode n = JSON.readTree(line);
            if ("request".equals(n.path("kind").asText())) {
                sum = sum.add(new BigDecimal(n.path("cost_usd").asText()));
            }
        }
        return sum;
    }

    private static void awaitAuditLines(Path audit, int requests) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(audit) && Files.readAllLines(audit).stream().filter(l -> l.contains("\"kind\":\"request\"")).count() >= requests) {
                Thread.sleep(300); // and the ledger's writer, which batches for up to 200 ms
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("audit lines: fewer than " + requests);
    }

    /** The body with its system prompt's cache breakpoints written for an hour. */
    private static ObjectNode oneHour(ObjectNode base) {
        ObjectNode copy = base.deepCopy();
        copy.withArray("system").forEach(block -> {
            if (block.has("cache_control")) {
                ((ObjectNode) block.get("cache_control")).put("ttl", "1h");
            }
        });
        return copy;
    }

    private static ObjectNode withPrompt(ObjectNode base, String text, boolean stream) {
        ObjectNode copy = base.deepCopy();
        copy.withArray("messages").addObject().put("role", "assistant").put("content", "Noted.");
        copy.withArray("messages").addObject().put("role", "user").put("content", text);
        copy.put("stream", stream);
        return copy;
    }

    /** A conversation the key balancer places on the first of two idle keys (as in AttemptsTest). */
    private static String sessionOnFirstKey() {
        for (int i = 0; ; i++) {
            String s = "busy-session-" + i;
            if (Math.floorMod(s.hashCode(), 2) == 0) {
                return s;
            }
        }
    }
}
