package dev.sluice.budget.limit;

import dev.sluice.wire.ApiError;
import java.util.List;
import java.util.Map;

/**
 * A rate-limit decision.
 *
 * @param allowed          true when every limit admitted (and was charged)
 * @param retryAfterMillis how long until the refused request would fit, or 0
 * @param rule             the limit that refused, or null
 * @param kind             "requests" or "tokens", or null
 * @param charged          what was charged, to adjust tokens once the actual count is known
 */
public record RateDecision(boolean allowed, long retryAfterMillis, String rule, String kind, List<RateLimiter.Charge> charged) {

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    /** The 429 {@code rate_limit_error} with {@code retry-after} and {@code retry-after-ms}. */
    public ApiError toApiError() {
        return new ApiError(429, "rate_limit_error", "rate limit '" + rule + "' reached (" + kind + " per minute) · retry in "
                + retryAfterSeconds() + " s", true, Map.of("retry-after", Long.toString(retryAfterSeconds()),
                "retry-after-ms", Long.toString(retryAfterMillis)));
    }
}
