package dev.sluice.trace;

import java.time.Duration;

/**
 * Histogram bucket bounds (Prometheus {@code le}) for the three latencies, chosen for where each one's
 * interesting range is: the gateway's own time around its sub-millisecond target, time to the upstream's
 * first byte around model think time, and the whole exchange up to a long streamed answer.
 */
final class LatencyBuckets {
    private LatencyBuckets() {
    }

    /** Gateway-added time: the target is under 1 ms, so resolution sits below and around it. */
    static final Duration[] GATEWAY = {
            micros(50), micros(100), micros(250), micros(500), millis(1), millis(2), millis(5),
            millis(10), millis(25), millis(50), millis(100), millis(250)};

    /** Upstream time to first byte: tens of milliseconds for count_tokens, seconds for a model's first token. */
    static final Duration[] TTFB = {
            millis(50), millis(100), millis(250), millis(500), seconds(1), seconds(2), seconds(4),
            seconds(8), seconds(15), seconds(30), seconds(60)};

    /** The whole exchange: a streamed agent turn can run for minutes. */
    static final Duration[] TOTAL = {
            millis(50), millis(100), millis(250), millis(500), seconds(1), seconds(2), seconds(5),
            seconds(10), seconds(20), seconds(30), seconds(60), seconds(120), seconds(300), seconds(600)};

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1_000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    private static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }
}
