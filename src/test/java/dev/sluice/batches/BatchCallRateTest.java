package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.wire.ApiError;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each key's batch calls pay for the upstream calls they make from a bucket refilled evenly over a minute. */
class BatchCallRateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aMinutesWorthAtOnceThenA429ThatSaysWhenToRetry() {
        BatchCallRate rate = new BatchCallRate(60, now::get);
        rate.take("k", 40);
        rate.take("k", 20);
        assertThatThrownBy(() -> rate.take("k", 3)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.type()).isEqualTo("rate_limit_error");
            assertThat(e.headers()).containsEntry("retry-after", "3"); // 60 a minute: one a second
        });
        now.addAndGet(3_000_000_000L);
        assertThatCode(() -> rate.take("k", 3)).doesNotThrowAnyException();
    }

    @Test
    void keysHaveTheirOwnAllowance() {
        BatchCallRate rate = new BatchCallRate(10, now::get);
        rate.take("a", 10);
        assertThatThrownBy(() -> rate.take("a", 1)).isInstanceOf(ApiError.class);
        assertThatCode(() -> rate.take("b", 10)).doesNotThrowAnyException();
    }

    @Test
    void aCallLargerThanAMinutesWorthWaitsForAFullBucketInsteadOfNeverPassing() {
        BatchCallRate rate = new BatchCallRate(10, now::get);
        assertThatCode(() -> rate.take("k", 100)).doesNotThrowAnyException(); // a list of 100 under a bound of 10
        assertThatThrownBy(() -> rate.take("k", 100)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.headers()).containsEntry("retry-after", "60"));
    }

    @Test
    void noBoundWhenZero() {
        BatchCallRate rate = new BatchCallRate(0, now::get);
        assertThatCode(() -> {
            for (int i = 0; i < 1_000; i++) {
                rate.take("k", 100);
            }
        }).doesNotThrowAnyException();
    }
}
