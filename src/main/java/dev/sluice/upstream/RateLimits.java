package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What an upstream's {@code anthropic-ratelimit-*} response headers say about one key: requests and
 * input tokens left in the current period and when each period resets. Missing or unreadable values
 * are unknown ({@code -1}), never guessed.
 *
 * @param requestsLimit   requests per period, or -1
 * @param requestsLeft    requests left, or -1
 * @param requestsReset   epoch millis when requests refill, or 0
 * @param tokensLimit     input tokens per period (the input-tokens family, else tokens), or -1
 * @param tokensLeft      input tokens left, or -1
 * @param tokensReset     epoch millis when tokens refill, or 0
 */
public record RateLimits(long requestsLimit, long requestsLeft, long requestsReset, long tokensLimit, long tokensLeft,
                         long tokensReset) {
    public static final RateLimits UNKNOWN = new RateLimits(-1, -1, 0, -1, -1, 0);
    private static final String PREFIX = "anthropic-ratelimit-";
    private static final ResetTimes REQUESTS_RESET = new ResetTimes();
    private static final ResetTimes TOKENS_RESET = new ResetTimes();

    /** Reads the headers; {@link #UNKNOWN} when the upstream sent none. */
    public static RateLimits from(MultiMap headers) {
        if (headers.get(PREFIX + "requests-remaining") == null && headers.get(PREFIX + "input-tokens-remaining") == null
                && headers.get(PREFIX + "tokens-remaining") == null) {
            return UNKNOWN;
        }
        String tokens = headers.get(PREFIX + "input-tokens-remaining") != null ? "input-tokens" : "tokens";
        return new RateLimits(number(headers, "requests-limit"), number(headers, "requests-remaining"),
                time(headers, "requests-reset", REQUESTS_RESET), number(headers, tokens + "-limit"),
                number(headers, tokens + "-remaining"), time(headers, tokens + "-reset", TOKENS_RESET));
    }

    /**
     * True when this key cannot take a request of {@code estimatedTokens} before a reset still ahead:
     * no requests left, or fewer input tokens left than the request needs.
     */
    public boolean exhausted(long estimatedTokens, long nowMillis) {
        boolean noRequests = requestsLeft == 0 && nowMillis < requestsReset;
        boolean noTokens = tokensLeft >= 0 && tokensLeft < Math.max(1, estimatedTokens) && nowMillis < tokensReset;
        return noRequests || noTokens;
    }

    /**
     * The share of the period still available (0..1), in steps of 1/20 so that nearly equal keys
     * count as equal; 1 when unknown or once the period has reset.
     */
    public double headroom(long nowMillis) {
        double share = Math.min(share(requestsLeft, requestsLimit, requestsReset, nowMillis),
                share(tokensLeft, tokensLimit, tokensReset, nowMillis));
        return Math.ceil(share * 20) / 20;
    }

    /** Epoch millis when this key can take requests again, or 0 when it can now. */
    public long availableAt(long estimatedTokens, long nowMillis) {
        if (!exhausted(estimatedTokens, nowMillis)) {
            return 0;
        }
        long at = 0;
        if (requestsLeft == 0 && nowMillis < requestsReset) {
            at = requestsReset;
        }
        if (tokensLeft >= 0 && tokensLeft < Math.max(1, estimatedTokens) && nowMillis < tokensReset) {
            at = Math.max(at, tokensReset);
        }
        return at;
    }

    /** These limits with each reset at {@code latest} at the latest; this same object when none is later. */
    public RateLimits resetBy(long latest) {
        if (requestsReset <= latest && tokensReset <= latest) {
            return this;
        }
        return new RateLimits(requestsLimit, requestsLeft, Math.min(requestsReset, latest), tokensLimit, tokensLeft,
                Math.min(tokensReset, latest));
    }

    private static double share(long left, long limit, long reset, long now) {
        if (left < 0 || limit <= 0 || now >= reset) {
            return 1;
        }
        return Math.max(0, Math.min(1, (double) left / limit));
    }

    private static long number(MultiMap headers, String name) {
        String v = headers.get(PREFIX + name);
        if (v == null) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long time(MultiMap headers, String name, ResetTimes seen) {
        String v = headers.get(PREFIX + name);
        if (v == null || v.length() > 64) {
            return 0;
        }
        return seen.millis(v);
    }

    /**
     * The last reset time read for one header. A period's reset changes about once a second while every answer
     * repeats it, so remembering the last one saves an {@code Instant.parse} (~4 µs, 2% of an event loop) per answer.
     * Shared by the event loops without a lock: the pair is immutable, the last writer wins, a miss parses again.
     */
    private static final class ResetTimes {
        private record Parsed(String text, long millis) {
        }

        private Parsed last;

        long millis(String text) {
            Parsed seen = last;
            if (seen != null && seen.text.equals(text)) {
                return seen.millis;
            }
            long millis;
            try {
                millis = Instant.parse(text.trim()).toEpochMilli();
            } catch (DateTimeParseException e) {
                millis = 0;
            }
            last = new Parsed(text, millis);
            return millis;
        }
    }
}
