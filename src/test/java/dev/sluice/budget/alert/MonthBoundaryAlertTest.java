package dev.sluice.budget.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Attack round 34 (time): a request reserved on the last second of November and settled in December. It counts on the
 * month it was admitted in, its alert says so, and the projection of a month that is over is what it spent.
 */
class MonthBoundaryAlertTest {
    private static final String HAIKU = "claude-haiku-4-5-20251001";

    @Test
    void a_request_straddling_midnight_settles_and_alerts_in_the_month_it_was_admitted_in() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T23:59:59Z"));
        BudgetsConfig cfg = BudgetRules.parse("test", """
                alerts:
                  sinks: [{name: ops, kind: webhook, url: "http://127.0.0.1:9/hook"}]
                list:
                  - {name: pay, level: team, id: pay, usd: 10, period: monthly, thresholds: [{at: 50, action: alert}], owner: {contact: "#pay", sinks: [ops]}}
                """);
        BudgetSet rules = BudgetRules.compile("test", cfg);
        Map<LocalDate, Long> daily = new HashMap<>();
        for (int i = 1; i <= 28; i++) {
            daily.put(LocalDate.of(2026, 11, 30).minusDays(i), 100_000_000L); // $0.10 a day through November
        }
        HistorySource history = (rule, entity, metric, from, to) -> daily;
        List<AlertPayload> seen = new CopyOnWriteArrayList<>();
        AlertSink capture = new AlertSink() {
            @Override
            public String name() {
                return "ops";
            }

            @Override
            public void send(AlertPayload alert) {
                seen.add(alert);
            }
        };
        try (AlertDispatcher alerts = new AlertDispatcher(Map.of("ops", capture), history, rules.zone(), 10, 0, Duration.ofMillis(10), 1)) {
            BudgetEngine engine = new BudgetEngine(rules, new MemoryCounters(), TestBudgets.PRICING, OutputEstimator.defaults(), clock,
                    Duration.ofMinutes(10), 1000, alerts);
            Identity ana = TestBudgets.who("ana", "pay", "acme");
            Admission a = engine.reserve(new BudgetRequest("late", 1, ana, HAIKU, 0, 1000)).await();
            assertThat(a.admitted()).isTrue();
            clock.advance(Duration.ofSeconds(2)); // the stream ends in December
            engine.settle(a.reservation(), Usage.of(0, 100_000), 6_000_000_000L).await();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(seen).hasSize(1);
            AlertPayload nov = seen.getFirst();
            assertThat(nov.periodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
            assertThat(nov.periodEnd()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(nov.at()).isEqualTo(Instant.parse("2026-12-01T00:00:01Z"));
            assertThat(nov.spent()).isEqualTo(6.0);
            // November is over: its total is what it spent, not that plus a December day at November's rate
            assertThat(nov.projected()).isEqualTo(6.0);
            assertThat(nov.projectedLow()).isEqualTo(6.0);
            assertThat(nov.projectedHigh()).isEqualTo(6.0);

            // December starts at zero, and the same threshold alerts again in it
            BudgetStanding dec = engine.status(ana).await().getFirst();
            assertThat(dec.settled()).isZero();
            assertThat(dec.resetsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
            Admission b = engine.reserve(new BudgetRequest("early", 1, ana, HAIKU, 0, 1000)).await();
            engine.settle(b.reservation(), Usage.of(0, 100_000), 5_000_000_000L).await();
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1).periodStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(seen.get(1).projected()).as("a December just begun, a second in").isGreaterThanOrEqualTo(5.0);
        }
    }
}
