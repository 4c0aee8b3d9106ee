package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.HealthConfig;
import dev.sluice.upstream.TargetHealth.Outcome;
import dev.sluice.upstream.TargetHealth.State;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Attack round 34 (time): the routing state runs on the wall clock (rate-limit resets are wall-clock instants), so a
 * clock stepped back, or an upstream's reset far in the future, must not bench a key or an upstream for longer than one
 * bounded rest.
 */
class WallClockStepTest {
    private static final HealthConfig CFG = new HealthConfig(Duration.ofSeconds(10), 10, 0.5, 5, Duration.ofSeconds(5),
            Duration.ofSeconds(20), Duration.ofSeconds(1), null);
    private static final long HOUR = 3_600_000;
    private long now = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    @Test
    void a_breaker_opened_before_the_clock_stepped_back_an_hour_probes_after_its_open_period() {
        TargetHealth h = new TargetHealth();
        for (int i = 0; i < 5; i++) {
            h.record(CFG, Outcome.FAILURE, -1, now += 10);
        }
        assertThat(h.state(now)).isEqualTo(State.OPEN);
        now -= HOUR; // NTP corrects a clock that ran an hour fast
        assertThat(h.state(now)).isEqualTo(State.OPEN);
        assertThat(h.view(CFG, now).openMillisLeft()).as("at most one open period left").isBetween(0L, 5_000L);
        now += 5_000;
        assertThat(h.acquire(CFG, now)).as("the probe goes after open-for, not after the hour").isTrue();
        assertThat(h.state(now)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void a_probe_slot_taken_before_the_clock_stepped_back_frees_after_the_probe_interval() {
        TargetHealth h = new TargetHealth();
        for (int i = 0; i < 5; i++) {
            h.record(CFG, Outcome.FAILURE, -1, now += 10);
        }
        now += 5_000;
        assertThat(h.acquire(CFG, now)).isTrue(); // the probe, whose answer never comes (the client left)
        now -= HOUR;
        assertThat(h.acquire(CFG, now)).isFalse();
        now += 1_000;
        assertThat(h.acquire(CFG, now)).as("next probe after probe-interval").isTrue();
    }

    @Test
    void a_cool_down_set_before_the_clock_stepped_back_lasts_at_most_its_bound() {
        KeyState k = new KeyState();
        k.coolUntil(now + 30_000); // retry-after: 30
        now -= HOUR;
        assertThat(k.usable(1, now)).isFalse();
        assertThat(k.availableAt(1, now)).isLessThanOrEqualTo(now + RetryAfter.MAX_MILLIS);
        now += RetryAfter.MAX_MILLIS;
        assertThat(k.usable(1, now)).as("back in traffic after ten minutes, not after the hour").isTrue();
    }

    @Test
    void a_rate_limit_reset_years_ahead_rests_the_key_ten_minutes_not_years() {
        KeyState k = new KeyState();
        k.observe(RateLimits.from(MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-ratelimit-requests-limit", "50")
                .add("anthropic-ratelimit-requests-remaining", "0")
                .add("anthropic-ratelimit-requests-reset", "2099-01-01T00:00:00Z")));
        assertThat(k.usable(1, now)).isFalse();
        assertThat(k.availableAt(1, now)).isEqualTo(now + RetryAfter.MAX_MILLIS);
        now += 60_000;
        assertThat(k.availableAt(1, now)).as("the bound does not slide with the clock").isEqualTo(now - 60_000 + RetryAfter.MAX_MILLIS);
        now += RetryAfter.MAX_MILLIS;
        assertThat(k.usable(1, now)).isTrue();
    }

    @Test
    void a_token_reset_far_ahead_is_bounded_too_and_a_near_one_is_kept() {
        KeyState k = new KeyState();
        k.observe(RateLimits.from(MultiMap.caseInsensitiveMultiMap()
                .add("anthropic-ratelimit-input-tokens-limit", "1000")
                .add("anthropic-ratelimit-input-tokens-remaining", "0")
                .add("anthropic-ratelimit-input-tokens-reset", Instant.ofEpochMilli(now + 7 * 24 * HOUR).toString())
                .add("anthropic-ratelimit-requests-remaining", "0")
                .add("anthropic-ratelimit-requests-reset", Instant.ofEpochMilli(now + 20_000).toString())));
        assertThat(k.availableAt(1, now)).isEqualTo(now + RetryAfter.MAX_MILLIS);
        assertThat(k.limits().requestsReset()).as("a reset within the bound is the upstream's").isEqualTo(now + 20_000);
    }
}
