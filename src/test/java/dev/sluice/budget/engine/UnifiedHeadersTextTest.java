package dev.sluice.budget.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Metric;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attack round 39: a tag budget's scope is the caller's tag value (UTF-8 from {@code x-sluice-tag-*}), echoed in
 * {@code x-sluice-budget} and {@code x-sluice-budget-warning}. The HTTP layer writes one byte per character, so
 * {@code 日} went out as {@code ?} and U+0085 as a raw C1 control byte; both headers must be printable ASCII that
 * still names the scope exactly.
 */
class UnifiedHeadersTextTest {
    private static final String VALUE = "repo=caf\u00e9\u65e5\u0085\\x";

    @Test
    void aTagBudgetsScopeGoesOutAsPrintableAsciiThatNamesItExactly() {
        BudgetStanding s = new BudgetStanding("per-repo", Level.TAG, VALUE, true, Metric.USD, 100_000_000_000L,
                80_000_000_000L, 0, Instant.parse("2026-12-03T00:00:00Z"), "daily", "ops", List.of(0.75), 1.0, "budget");
        Map<String, String> h = UnifiedHeaders.served(s);

        for (String name : List.of("x-sluice-budget", "x-sluice-budget-warning")) {
            String v = h.get(name);
            assertThat(v).as(name).isNotNull();
            assertThat(v.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(name + ": " + v).isTrue();
            assertThat(v).as(name).contains("repo=caf\\u00e9\\u65e5\\u0085\\u005cx");
        }
        assertThat(h.get("x-sluice-budget")).startsWith("per-repo (tag repo=caf\\u00e9");
    }

    @Test
    void plainAsciiScopesAreUnchanged() {
        assertThat(UnifiedHeaders.headerText("team payments")).isEqualTo("team payments");
        assertThat(UnifiedHeaders.headerText("")).isEmpty();
    }
}
