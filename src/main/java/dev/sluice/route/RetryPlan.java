package dev.sluice.route;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;

/**
 * The default plan: one target, and one more try on it (the attempt loop moves to the upstream's
 * next key) when the first attempt could not connect or the upstream said it is overloaded or rate
 * limited (529, 429, or an {@code overloaded_error} as the first stream event). A retry waits for
 * the upstream's {@code retry-after} when it is short, and is not made when it is long: the client
 * then gets the upstream's answer and its own retry policy decides.
 */
final class RetryPlan implements AttemptPlan {
    /** Longest {@code retry-after} the gateway waits out itself; longer ones go back to the client. */
    static final long MAX_WAIT_MILLIS = 2_000;
    static final int MAX_ATTEMPTS = 2;

    private final Target target;

    RetryPlan(Target target) {
        this.target = target;
    }

    @Override
    public Target first() {
        return target;
    }

    @Override
    public Retry next(Exchange ex, Attempt failed) {
        if (failed.number() >= MAX_ATTEMPTS || !retryable(failed)) {
            return null;
        }
        long wait = failed.retryAfterMillis();
        if (wait > MAX_WAIT_MILLIS) {
            return null;
        }
        return new Retry(target, Math.max(0, wait));
    }

    private static boolean retryable(Attempt a) {
        return switch (a.failure()) {
            case CONNECT -> true;
            case STATUS -> a.status() == 529 || a.status() == 429;
            case STREAM_ERROR -> "overloaded_error".equals(a.errorType()) || "rate_limit_error".equals(a.errorType());
            case FIRST_BYTE_TIMEOUT -> false;
            case null -> false;
        };
    }
}
