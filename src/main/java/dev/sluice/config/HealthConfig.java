package dev.sluice.config;

import java.time.Duration;

/**
 * Upstream health: what the gateway learns from real traffic (passive), what opens a target's circuit
 * breaker and how it probes back, and optional active checks.
 *
 * @param window              failure rates are counted over this much recent time (default 10s)
 * @param minRequests         the rate opens a breaker only once the window holds this many attempts (default 10)
 * @param failureRate         the failing share of the window that opens the breaker (default 0.5)
 * @param consecutiveFailures this many failures in a row open it at once (default 5)
 * @param openFor             how long an open breaker skips its target before probing (default 5s; doubles
 *                            each time a probe fails, up to {@code maxOpenFor})
 * @param maxOpenFor          longest open period (default 60s)
 * @param probeInterval       while probing (half-open), at most one request per this interval goes to the target (default 1s)
 * @param check               active checks, or null for none
 */
public record HealthConfig(Duration window, Integer minRequests, Double failureRate, Integer consecutiveFailures,
                           Duration openFor, Duration maxOpenFor, Duration probeInterval, Check check) {
    public HealthConfig {
        window = window == null ? Duration.ofSeconds(10) : window;
        minRequests = minRequests == null ? 10 : minRequests;
        failureRate = failureRate == null ? 0.5 : failureRate;
        consecutiveFailures = consecutiveFailures == null ? 5 : consecutiveFailures;
        openFor = openFor == null ? Duration.ofSeconds(5) : openFor;
        maxOpenFor = maxOpenFor == null ? Duration.ofSeconds(60) : maxOpenFor;
        probeInterval = probeInterval == null ? Duration.ofSeconds(1) : probeInterval;
    }

    public static HealthConfig defaults() {
        return new HealthConfig(null, null, null, null, null, null, null, null);
    }

    /**
     * An active check: every {@code interval}, {@code GET <base-url><path>} on each upstream (with its first
     * key for Anthropic upstreams). An answer below 500 (and not 529) within {@code timeout} is healthy.
     */
    public record Check(Duration interval, Duration timeout, String path) {
        public Check {
            interval = interval == null ? Duration.ofSeconds(15) : interval;
            timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
            path = path == null ? "/v1/models" : path;
        }
    }
}
