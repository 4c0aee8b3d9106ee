package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.rules.Applied;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound on a {@code name=*} tag budget's values (past it, new values share one "(other)" counter) holds per period
 * (round 23). Before, the values seen were kept for the engine's life: once that many values had ever been seen, every
 * new one shared "(other)", one budget for all of them, until a restart or a reload.
 */
class TagValuesPerPeriodTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final BudgetEngine engine = new BudgetEngine(TestBudgets.rules("list: [{name: each-ticket, level: tag, id: \"ticket=*\", usd: 1, period: daily}]"),
            new MemoryCounters(), TestBudgets.PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(5), 2, null);

    private String entity(String ticket) {
        Identity who = new Identity("k", "a", "ana", "pay", "acme", Map.of("ticket", ticket));
        return engine.applicable(who).stream().map(Applied::entity).findFirst().orElseThrow();
    }

    @Test
    void a_new_period_counts_new_values_on_their_own_again() {
        assertThat(entity("T-1")).isEqualTo("T-1");
        assertThat(entity("T-2")).isEqualTo("T-2");
        assertThat(entity("T-3")).isEqualTo("(other)");
        assertThat(entity("T-1")).as("a value seen keeps its line").isEqualTo("T-1");
        clock.advance(Duration.ofDays(1));
        assertThat(entity("T-4")).isEqualTo("T-4");
        assertThat(entity("T-5")).isEqualTo("T-5");
        assertThat(entity("T-6")).isEqualTo("(other)");
    }
}
