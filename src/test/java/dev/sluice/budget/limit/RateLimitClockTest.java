package dev.sluice.budget.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.counter.RedisLink;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import dev.sluice.wire.ApiError;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Attack round 34 (time): rate limits when the clock steps back, when replicas' clocks disagree, and for a request no
 * wait can admit.
 */
class RateLimitClockTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:30Z"));
    private final Identity ana = new Identity("k1", "laptop", "ana", "pay", "acme", Map.of());

    private static List<RateRule> rules(String yaml) {
        return RateRule.fromConfig("test", BudgetRules.parse("test", yaml).rateLimits());
    }

    @Test
    void a_clock_stepped_back_does_not_hand_out_the_sliding_window_again() {
        RateLimiter rl = new RateLimiter(rules("rate-limits: [{name: rpm, level: key, id: '*', requests-per-minute: 10}]"), clock, null);
        for (int i = 0; i < 10; i++) {
            assertThat(rl.check(ana, null, 0).await().allowed()).isTrue();
        }
        clock.advance(Duration.ofMinutes(-2)); // NTP steps the clock back across midnight
        RateDecision d = rl.check(ana, null, 0).await();
        assertThat(d.allowed()).as("the minute's 10 requests are still counted").isFalse();
        assertThat(d.retryAfterMillis()).isBetween(1L, 120_000L);
    }

    @Test
    void a_clock_stepped_back_and_forward_does_not_refill_the_bucket_twice() {
        RateLimiter rl = new RateLimiter(rules("""
                rate-limits: [{name: tpm, level: key, id: '*', tokens-per-minute: 60000, algorithm: token-bucket}]"""), clock, null);
        assertThat(rl.check(ana, null, 60_000).await().allowed()).isTrue();
        clock.advance(Duration.ofMinutes(-1));
        assertThat(rl.check(ana, null, 1_000).await().allowed()).isFalse();
        clock.advance(Duration.ofMinutes(1)); // back where it was: no time has passed for the bucket
        RateDecision d = rl.check(ana, null, 30_000).await();
        assertThat(d.allowed()).as("the bucket was emptied and no real time passed").isFalse();
    }

    @Test
    void a_request_larger_than_the_limit_is_refused_without_a_retry_after_that_never_comes_true() {
        RateLimiter rl = new RateLimiter(rules("""
                rate-limits:
                  - {name: tpm, level: key, id: '*', tokens-per-minute: 1000}
                  - {name: tpb, level: team, id: '*', tokens-per-minute: 1000, algorithm: token-bucket}"""), clock, null);
        RateDecision d = rl.check(ana, null, 5_000).await();
        assertThat(d.allowed()).isFalse();
        ApiError e = d.toApiError();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.type()).isEqualTo("rate_limit_error");
        assertThat(e.shouldRetry()).as("no wait admits it").isFalse();
        assertThat(e.headers()).doesNotContainKeys("retry-after", "retry-after-ms");
        assertThat(e.getMessage()).contains("rate limit 'tpm'").contains("tokens per minute").contains("smaller request");
        // what a client told "retry in N s" met after waiting: still no
        clock.advance(Duration.ofMinutes(5));
        assertThat(rl.check(ana, null, 5_000).await().allowed()).isFalse();
        assertThat(rl.check(ana, null, 1_000).await().allowed()).as("a request that fits still goes").isTrue();
    }

    @Test
    void a_replica_whose_clock_runs_behind_does_not_reset_the_shared_count() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Vertx v1 = Vertx.vertx();
            Vertx v2 = Vertx.vertx();
            TestClock behind = new TestClock(clock.instant().minus(Duration.ofMinutes(2)));
            List<RateRule> r = rules("""
                    rate-limits:
                      - {name: rpm, level: user, id: '*', requests-per-minute: 10}
                      - {name: tpm, level: team, id: '*', tokens-per-minute: 60000, algorithm: token-bucket}""");
            RateLimiter a = new RateLimiter(r, clock, new RedisLink(v1, redis.url(), Duration.ofSeconds(5)));
            RateLimiter b = new RateLimiter(r, behind, new RedisLink(v2, redis.url(), Duration.ofSeconds(5)));
            try {
                for (int i = 0; i < 10; i++) {
                    assertThat(a.check(ana, null, 100).await().allowed()).isTrue();
                }
                assertThat(b.check(ana, null, 100).await().allowed()).as("the slow replica sees the same 10").isFalse();
                assertThat(a.check(ana, null, 100).await().allowed()).isFalse();

                // the bucket: emptied by the fast replica, touched by the slow one, then the fast one again
                Identity bob = new Identity("k2", "laptop", "bob", "ops", "acme", Map.of());
                assertThat(a.check(bob, null, 59_000).await().allowed()).isTrue();
                assertThat(b.check(bob, null, 30_000).await().allowed()).isFalse();
                assertThat(a.check(bob, null, 30_000).await().allowed()).as("no real time passed for the bucket").isFalse();
            } finally {
                a.close();
                b.close();
                v1.close().await();
                v2.close().await();
            }
        }
    }
}
