package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key's batch calls pay for the upstream calls they make from a bucket refilled evenly over a minute. */
class BatchCallRateTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T08:00:00Z"));

    @Test
    void aMinutesWorthAtOnceThenA429ThatSaysWhenToRetry() {
        BatchCallRate rate = new BatchCallRate(60, clock);
        assertThat(rate.take(key("k"), 40).succeeded()).isTrue();
        assertThat(rate.take(key("k"), 20).succeeded()).isTrue();
        ApiError refused = refusal(rate.take(key("k"), 3));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.type()).isEqualTo("rate_limit_error");
        assertThat(refused.headers()).containsEntry("retry-after", "3"); // 60 a minute: one a second
        clock.advance(Duration.ofSeconds(3));
        assertThat(rate.take(key("k"), 3).succeeded()).isTrue();
    }

    @Test
    void keysHaveTheirOwnAllowance() {
        BatchCallRate rate = new BatchCallRate(10, clock);
        assertThat(rate.take(key("a"), 10).succeeded()).isTrue();
        refusal(rate.take(key("a"), 1));
        assertThat(rate.take(key("b"), 10).succeeded()).isTrue();
    }

    @Test
    void aCallLargerThanAMinutesWorthWaitsForAFullBucketInsteadOfNeverPassing() {
        BatchCallRate rate = new BatchCallRate(10, clock);
        assertThat(rate.take(key("k"), 100).succeeded()).isTrue(); // a list of 100 under a bound of 10
        assertThat(refusal(rate.take(key("k"), 100)).headers()).containsEntry("retry-after", "60");
    }

    @Test
    void openModeCallersShareTheOneKeysAllowance() {
        BatchCallRate rate = new BatchCallRate(10, clock);
        assertThat(rate.take(Identity.OPEN, 10).succeeded()).isTrue();
        refusal(rate.take(new Identity("open", "open", null, null, null, Map.of()), 1));
    }

    @Test
    void noBoundWhenZero() {
        BatchCallRate rate = new BatchCallRate(0, clock);
        for (int i = 0; i < 1_000; i++) {
            assertThat(rate.take(key("k"), 100).succeeded()).isTrue();
        }
    }

    private static Identity key(String id) {
        return new Identity(id, id, null, null, null, Map.of());
    }

    private static ApiError refusal(Future<Void> taken) {
        assertThat(taken.failed()).as("refused").isTrue();
        assertThat(taken.cause()).isInstanceOf(ApiError.class);
        return (ApiError) taken.cause();
    }
}
