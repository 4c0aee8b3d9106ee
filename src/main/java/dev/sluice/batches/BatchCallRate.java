package dev.sluice.batches;

import dev.sluice.budget.limit.RateLimiter;
import dev.sluice.budget.limit.RateRule;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * How many upstream calls each gateway key's batch calls may make a minute. Every developer's batches go through the
 * team's one upstream account, whose batch calls the provider limits per account, and a list of 100 batches is 100
 * upstream calls (each batch's state is asked of its upstream): without a bound of its own, one key polling in a loop
 * spends the account's allowance for everyone (attack round 31). One token-bucket rule of the budgets' rate limiter,
 * at key level: a minute's worth at once, then refilled evenly; a call it cannot pay for gets a retryable 429 saying
 * when it can. Per replica, like the fair queue; in open mode every caller is the one key {@code open}.
 */
final class BatchCallRate {
    /** Upstream calls a key's batch calls may make a minute (a system property; 0: no bound). */
    static final String PROPERTY = "sluice.batches.calls-per-minute";
    static final long DEFAULT_PER_MINUTE = 300;

    private final long perMinute;
    private final RateLimiter limiter;

    BatchCallRate(long perMinute, Clock clock) {
        this.perMinute = Math.max(0, perMinute);
        this.limiter = this.perMinute == 0 ? null : new RateLimiter(List.of(new RateRule("batch-calls", "key", "*",
                this.perMinute, 0, RateRule.Algorithm.TOKEN_BUCKET)), clock, null);
    }

    static BatchCallRate fromProperty() {
        return new BatchCallRate(Long.getLong(PROPERTY, DEFAULT_PER_MINUTE), Clock.systemUTC());
    }

    /**
     * Takes {@code calls} upstream calls from the caller's allowance, or fails with the 429 that says when to retry. A
     * call larger than a minute's worth waits for a full bucket rather than never passing.
     */
    Future<Void> take(Identity who, int calls) {
        if (limiter == null || calls <= 0) {
            return Future.succeededFuture();
        }
        return limiter.check(who, null, 0, Math.min(calls, perMinute)).compose(d -> {
            if (d.allowed()) {
                return Future.succeededFuture();
            }
            long seconds = Math.max(1, (d.retryAfterMillis() + 999) / 1000);
            return Future.failedFuture(new ApiError(429, "rate_limit_error", "this key's batch calls have used the "
                    + perMinute + " upstream calls a minute the gateway allows each key (a listed batch is one call); retry in "
                    + seconds + " s", true, Map.of("retry-after", Long.toString(seconds))));
        });
    }
}
