package dev.sluice.budget.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import dev.sluice.budget.rules.Metric;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts delivered to real local receivers: an HTTP server for the webhooks, an SMTP receiver for email. */
class AlertsTest {
    private static final String HAIKU = "claude-haiku-4-5-20251001";
    private HttpServer http;
    private SmtpSink smtp;
    private final List<String> hooks = new CopyOnWriteArrayList<>();
    private final List<String> slack = new CopyOnWriteArrayList<>();
    private final AtomicInteger flaky = new AtomicInteger();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T12:00:00Z"));

    @BeforeEach
    void receivers() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/hook", ex -> {
            hooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        http.createContext("/slack", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean fail = flaky.getAndIncrement() == 0; // the first delivery fails: the sink retries
            if (!fail) {
                slack.add(body);
            }
            ex.sendResponseHeaders(fail ? 503 : 200, -1);
            ex.close();
        });
        http.start();
        smtp = new SmtpSink();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop(0);
        smtp.close();
    }

    private String yaml() {
        String base = "http://127.0.0.1:" + http.getAddress().getPort();
        return """
                alerts:
                  sinks:
                    - {name: ops, kind: webhook, url: "%s/hook", headers: {x-token: t0k}}
                    - {name: chat, kind: slack, url: "%s/slack"}
                    - {name: mail, kind: email, smtp-host: 127.0.0.1, smtp-port: %d, from: sluice@acme.test, to: [finops@acme.test]}
                list:
                  - name: pay
                    level: team
                    id: pay
                    usd: 10
                    period: monthly
                    owner: {contact: "#pay-eng", sinks: [ops, chat, mail]}
                """.formatted(base, base, smtp.port());
    }

    @Test
    void each_threshold_crossing_reaches_every_sink_exactly_once_with_a_projection() throws Exception {
        BudgetsConfig cfg = BudgetRules.parse("test", yaml());
        BudgetSet rules = BudgetRules.compile("test", cfg);
        Map<LocalDate, Long> daily = new HashMap<>();
        for (int i = 1; i <= 14; i++) {
            daily.put(LocalDate.of(2026, 11, 20).minusDays(i), i <= 7 ? 600_000_000L : 400_000_000L); // $0.60/day lately, $0.40 before
        }
        HistorySource history = (rule, entity, metric, from, to) -> {
            assertThat(metric).isEqualTo(Metric.USD);
            assertThat(entity).isEqualTo("pay");
            return daily;
        };
        try (AlertDispatcher alerts = new AlertDispatcher(AlertSinks.fromConfig("test", cfg.alerts().sinks()), history, rules.zone(), 100, 3,
                Duration.ofMillis(20), 1)) {
            BudgetEngine engine = new BudgetEngine(rules, new MemoryCounters(), TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                    Duration.ofMinutes(10), 1000, alerts);
            Identity ana = TestBudgets.who("ana", "pay", "acme");
            for (int i = 0; i < 25; i++) { // 25 × $0.50: crosses 75, 90 and 100 once each
                Admission a = engine.reserve(new BudgetRequest("r" + i, 1, ana, HAIKU, 0, 1000)).await();
                if (a.admitted()) {
                    engine.settle(a.reservation(), Usage.of(0, 100_000), 500_000_000L).await();
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((hooks.size() < 3 || slack.size() < 3 || smtp.messages.size() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200); // nothing more arrives
            assertThat(alerts.failed()).isZero();
        }
        assertThat(hooks).hasSize(3);
        JsonNode first = Json.MAPPER.readTree(hooks.getFirst());
        assertThat(first.get("budget").asText()).isEqualTo("pay");
        assertThat(first.get("scope").asText()).isEqualTo("team pay");
        assertThat(first.get("threshold_percent").asInt()).isEqualTo(75);
        assertThat(first.get("spent").decimalValue()).isEqualByComparingTo("7.5");
        assertThat(first.get("percent").asDouble()).isEqualTo(75.0);
        assertThat(first.get("period_end").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(first.get("policy").asText()).isEqualTo("alert");
        assertThat(first.get("next").get("threshold_percent").asInt()).isEqualTo(90);
        // $7.50 so far; the rest of today (half a day at ~$0.51) plus 10 more days at ~$0.51: about $12.6
        JsonNode projected = first.get("projected_period_end");
        assertThat(projected.get("expected").asDouble()).isBetween(12.0, 13.5);
        assertThat(projected.get("low").asDouble()).isLessThan(projected.get("expected").asDouble());
        assertThat(projected.get("high").asDouble()).isGreaterThan(projected.get("expected").asDouble());
        assertThat(first.get("trend_vs_previous_7d").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001)); // $0.60 a day lately vs $0.40
        assertThat(Json.MAPPER.readTree(hooks.get(2)).get("policy").asText()).isEqualTo("block");
        assertThat(slack).hasSize(3);
        assertThat(Json.MAPPER.readTree(slack.getFirst()).get("text").asText()).startsWith("Budget pay (team pay) passed 75%: $7.50 of $10.00");
        assertThat(smtp.messages).hasSize(3);
        assertThat(smtp.recipients).containsOnly("finops@acme.test");
        assertThat(smtp.messages.getFirst()).contains("Subject: [sluice] Budget pay (team pay) passed 75%").contains("Owner: #pay-eng");
    }

    @Test
    void a_bad_sink_is_a_clear_configuration_error() {
        BudgetsConfig cfg = BudgetRules.parse("t", """
                alerts:
                  sinks:
                    - {name: x, kind: pager, url: "http://a"}
                    - {name: y, kind: webhook, url: "ftp://a"}
                    - {name: z, kind: email}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AlertSinks.fromConfig("sluice.yaml", cfg.alerts().sinks()))
                .hasMessageContaining("budgets.alerts.sinks[0].kind: 'pager' (expected one of: webhook, slack, email)")
                .hasMessageContaining("budgets.alerts.sinks[1].url: 'ftp://a'")
                .hasMessageContaining("budgets.alerts.sinks[2]: email needs smtp-host, from and to");
    }
}
