package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.ExtraBudgets;
import dev.sluice.budget.engine.Reservation;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.budget.history.LedgerFixture;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.store.Database;
import dev.sluice.wire.Usage;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fix round 35: in-memory counters are rebuilt from the ledger's table at a start, and the journal may still hold
 * records the table does not (a backlog replayed slowly, a database that does not take writes yet). The start must not
 * wait for the database forever, and the counters must not miss those records for the rest of the period: once the
 * ledger catches up, what it wrote since the rebuild read the table is added, and spend settled meanwhile is kept.
 */
class StartJournalBacklogTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Identity ANA = new Identity("key-ana", "laptop", "ana", "pay", "acme", Map.of());
    private static final String RULES = "list: [{name: day, level: user, id: ana, usd: 100, period: daily}]";

    @Test
    void recordsStillInTheJournalAtTheRebuildAreCountedOnceTheLedgerCatchesUp(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(NOW);
        Vertx vertx = Vertx.vertx();
        try (LedgerFixture ledger = new LedgerFixture(dir)) {
            ledger.add(NOW.minus(Duration.ofHours(2)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 300_000_000L);
            ledger.flush();
            Budgets budgets;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.SQLITE_FILE))) {
                // Another writer holds the database: the ledger's writer cannot commit, the journal keeps the records.
                other.createStatement().execute("BEGIN IMMEDIATE");
                ledger.add(NOW.minus(Duration.ofMinutes(30)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 200_000_000L);
                ledger.add(NOW.minus(Duration.ofMinutes(20)), "key-ana", "ana", "pay", "acme", Map.of(), Usage.of(100, 1000), 50_000_000L);
                assertThat(ledger.awaitFlushed(Duration.ofMillis(200))).as("the journal's backlog").isFalse();
                long t0 = System.nanoTime();
                budgets = Budgets.start("test", BudgetRules.parse("test", RULES), vertx, TestBudgets.PRICING, ledger.db.dataSource(),
                        false, clock, ExtraBudgets.NONE, () -> ledger.awaitFlushed(Duration.ofMillis(300)));
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the start does not wait for the database").isLessThan(Duration.ofSeconds(5));
                BudgetEngine engine = budgets.engine();
                assertThat(settled(engine)).as("the table's part meanwhile").isEqualTo(300_000_000L);
                // A request of this run settles on the counters meanwhile: it must survive the catch-up.
                Reservation r = engine.reserve(new BudgetRequest("live", 1, ANA, "claude-sonnet-4-6", 10, 100)).await().reservation();
                engine.settle(r, Usage.of(10, 100), 7_000_000L).await();
                other.createStatement().execute("ROLLBACK");
            }
            long live = 7_000_000L;
            try (budgets) {
                assertThat(ledger.awaitFlushed(Duration.ofSeconds(20))).isTrue();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (settled(budgets.engine()) != 550_000_000L + live && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(settled(budgets.engine())).as("every journaled record, once, and the live request").isEqualTo(550_000_000L + live);
                Thread.sleep(1_500);
                assertThat(settled(budgets.engine())).as("added once").isEqualTo(550_000_000L + live);
            }
        } finally {
            vertx.close().await();
        }
    }

    private static long settled(BudgetEngine engine) {
        return engine.status(ANA).await().getFirst().settled();
    }
}
