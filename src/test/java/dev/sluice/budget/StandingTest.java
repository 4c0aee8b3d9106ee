package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claude Code's usage-limit headers at each line: below 75%, past 75%, past 95%, over the cap. */
class StandingTest {
    private static final YearMonth NOV = YearMonth.of(2026, 11);
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final long DOLLAR = 1_000_000_000L;

    private static Map<String, String> headers(long spentNano) {
        return Standing.of("user", spentNano, new BigDecimal("10"), NOV).headers(NOW);
    }

    @Test
    void belowSeventyFivePercentIsPlainlyAllowed() {
        Map<String, String> h = headers(5 * DOLLAR);
        assertThat(h).containsEntry("anthropic-ratelimit-unified-status", "allowed")
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.5")
                .containsEntry("anthropic-ratelimit-unified-representative-claim", "overage")
                .containsEntry("anthropic-ratelimit-unified-reset", Long.toString(Instant.parse("2026-12-01T00:00:00Z").getEpochSecond()))
                .doesNotContainKey("anthropic-ratelimit-unified-overage-surpassed-threshold");
    }

    @Test
    void pastSeventyFiveAndNinetyFivePercentTheClientIsWarned() {
        assertThat(headers(8 * DOLLAR)).containsEntry("anthropic-ratelimit-unified-status", "allowed_warning")
                .containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "0.75");
        assertThat(headers(9_700_000_000L)).containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "0.95")
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.97");
        // Still allowed: shown below 1 even when rounding would reach it.
        assertThat(headers(9_999_000_000L)).containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.99");
    }

    @Test
    void atTheLineTheRefusalCarriesTheRejectedShape() {
        Standing over = Standing.of("key", 12 * DOLLAR, new BigDecimal("10"), NOV);
        Map<String, String> h = over.headers(NOW);
        assertThat(over.exceeded()).isTrue();
        assertThat(h).containsEntry("anthropic-ratelimit-unified-status", "rejected")
                .containsEntry("anthropic-ratelimit-unified-overage-surpassed-threshold", "1")
                .containsEntry("anthropic-ratelimit-unified-overage-period", "monthly")
                .containsEntry("anthropic-ratelimit-unified-overage-disabled-reason", "org_spend_cap_reached")
                .containsEntry("retry-after", Long.toString(8 * 24 * 3600 + 12 * 3600))
                .doesNotContainKeys("anthropic-ratelimit-unified-representative-claim", "anthropic-ratelimit-unified-overage-status");
        assertThat(over.blockedMessage()).startsWith("spend limit reached · resets Dec 1");
        // The reply that crossed the line was served: it reads as the last warning, never as rejected.
        assertThat(over.servedHeaders(NOW)).containsEntry("anthropic-ratelimit-unified-status", "allowed_warning")
                .containsEntry("anthropic-ratelimit-unified-overage-utilization", "0.99");
    }
}
