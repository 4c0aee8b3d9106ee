package dev.sluice.budget.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.budget.counter.RedisLink;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.testing.RedisServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final Identity ana = new Identity("k1", "laptop", "ana", "pay", "acme", Map.of());

    private static List<RateRule> rules(String yaml) {
        return RateRule.fromConfig("test", BudgetRules.parse("test", yaml).rateLimits());
    }

    @Test
    void a_sliding_window_admits_the_limit_then_says_how_long_to_wait() {
        RateLimiter rl = new RateLimiter(rules("rate-limits: [{name: per-key, level: key, id: '*', requests-per-minute: 10}]"), clock, null);
        for (int i = 0; i < 10; i++) {
            assertThat(rl.check(ana, null, 0).await().allowed()).isTrue();
        }
        RateDecision no = rl.check(ana, null, 0).await();
        assertThat(no.allowed()).isFalse();
        assertThat(no.retryAfterMillis()).isEqualTo(60_000);
        assertThat(no.toApiError().status()).isEqualTo(429);
        assertThat(no.toApiError().type()).isEqualTo("rate_limit_error");
        assertThat(no.toApiError().headers()).containsEntry("retry-after", "60");
        // half way through the next minute the previous one weighs half: 5 + n <= 10 fits 5 more
        clock.advance(Duration.ofSeconds(90));
        for (int i = 0; i < 5; i++) {
            assertThat(rl.check(ana, null, 0).await().allowed()).isTrue();
        }
        RateDecision wait = rl.check(ana, null, 0).await();
        assertThat(wait.allowed()).isFalse();
        assertThat(wait.retryAfterMillis()).isBetween(1L, 30_000L);
        clock.advance(Duration.ofMillis(wait.retryAfterMillis()));
        assertThat(rl.check(ana, null, 0).await().allowed()).isTrue();
        // another key has its own count
        assertThat(rl.check(new Identity("k2", "x", "bob", null, null, Map.of()), null, 0).await().allowed()).isTrue();
    }

    @Test
    void a_token_bucket_refills_and_tokens_are_corrected_after_the_fact() {
        RateLimiter rl = new RateLimiter(rules("""
                rate-limits: [{name: tpm, level: team, id: pay, tokens-per-minute: 60000, algorithm: token-bucket}]"""), clock, null);
        RateDecision a = rl.check(ana, null, 50_000).await();
        assertThat(a.allowed()).isTrue();
        RateDecision b = rl.check(ana, null, 20_000).await();
        assertThat(b.allowed()).isFalse();
        assertThat(b.retryAfterMillis()).isEqualTo(10_000); // 10k tokens short at 1k per second
        rl.adjust(a, 10_000).await(); // the request really used 10k
        assertThat(rl.check(ana, null, 20_000).await().allowed()).isTrue();
    }

    @Test
    void upstream_key_limits_apply_by_upstream_key() {
        RateLimiter rl = new RateLimiter(rules("rate-limits: [{name: tier, level: upstream-key, id: primary, requests-per-minute: 1}]"), clock, null);
        assertThat(rl.check(ana, "primary", 0).await().allowed()).isTrue();
        assertThat(rl.check(ana, "primary", 0).await().allowed()).isFalse();
        assertThat(rl.check(ana, "secondary", 0).await().allowed()).isTrue();
    }

    @Test
    void limits_are_shared_across_replicas_through_redis() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Vertx v1 = Vertx.vertx();
            Vertx v2 = Vertx.vertx();
            List<RateRule> r = rules("rate-limits: [{name: per-user, level: user, id: '*', requests-per-minute: 100}]");
            RateLimiter a = new RateLimiter(r, clock, new RedisLink(v1, redis.url(), Duration.ofSeconds(5)));
            RateLimiter b = new RateLimiter(r, clock, new RedisLink(v2, redis.url(), Duration.ofSeconds(5)));
            AtomicInteger allowed = new AtomicInteger();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 300; i++) {
                    RateLimiter mine = i % 2 == 0 ? a : b;
                    pool.submit(() -> {
                        if (mine.check(ana, null, 0).await().allowed()) {
                            allowed.incrementAndGet();
                        }
                        return null;
                    });
                }
            }
            assertThat(allowed.get()).isEqualTo(100);
            RateDecision no = a.check(ana, null, 0).await();
            assertThat(no.retryAfterMillis()).isEqualTo(60_000);
            a.close();
            b.close();
            v1.close().await();
            v2.close().await();
        }
    }

    @Test
    void bad_limits_are_named() {
        assertThatThrownBy(() -> rules("rate-limits: [{name: x, level: org, id: a, requests-per-minute: 0, algorithm: leaky}]"))
                .hasMessageContaining("budgets.rate-limits[0].level: 'org'")
                .hasMessageContaining("requests-per-minute 0, tokens-per-minute 0")
                .hasMessageContaining("algorithm: 'leaky'");
    }
}
