package dev.sluice.budget.limit;

import dev.sluice.wire.ApiError;
import java.util.List;
import java.util.Map;

/**
 * A rate-limit decision.
 *
 * @param allowed          true when every limit admitted (and was charged)
 * @param retryAfterMillis how long until the refused request would fit, 0 when allowed, or {@link #NEVER}
 * @param rule             the limit that refused, or null
 * @param kind             "requests" or "tokens", or null
 * @param charged          what was charged, to adjust tokens once the actual count is known
 */
public record RateDecision(boolean allowed, long retryAfterMillis, String rule, String kind, List<RateLimiter.Charge> charged) {
    /** A request larger than the limit holds in a minute: no wait admits it. */
    public static final long NEVER = -1;

    /** Refuses a request that asks more of {@code rule} than it ever holds. */
    static RateDecision never(String rule, String kind) {
        return new RateDecision(false, NEVER, rule, kind, List.of());
    }

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    /**
     * The 429 {@code rate_limit_error} with {@code retry-after} and {@code retry-after-ms}; for a request no wait admits,
     * the same error without them and with {@code x-should-retry: false}. Before, such a request (more estimated tokens
     * than the tokens-per-minute limit) was told to retry in a minute or two, and was refused again after every wait, for
     * as long as the client kept trying (attack round 34).
     */
    public ApiError toApiError() {
        if (retryAfterMillis == NEVER) {
            return new ApiError(429, "rate_limit_error", "request is larger than rate limit '" + rule + "' admits in a minute ("
                    + kind + " per minute): it cannot fit however long it waits · send a smaller request or ask for a higher limit",
                    false, Map.of());
        }
        return new ApiError(429, "rate_limit_error", "rate limit '" + rule + "' reached (" + kind + " per minute) · retry in "
                + retryAfterSeconds() + " s", true, Map.of("retry-after", Long.toString(retryAfterSeconds()),
                "retry-after-ms", Long.toString(retryAfterMillis)));
    }
}
