package dev.sluice.sim;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link SimServer} behaves. Immutable; derive variants with the {@code withX} helpers.
 *
 * @param host                interface to bind, e.g. {@code 127.0.0.1}
 * @param port                TCP port, {@code 0} for a random free port
 * @param ttftMillis          delay before the first content token
 * @param tokensPerSecond     output pacing; {@code 0} writes as fast as possible
 * @param defaultOutputTokens output size when the request has no {@code x-sim-output-tokens} header
 * @param minCacheableTokens  prompt prefixes shorter than this are never cached
 * @param defaultFault        fault applied when the request has no {@code x-sim-fault} header, or null
 * @param canned              skip parsing and answer a fixed message (fastest possible upstream)
 * @param instances           number of event-loop verticles serving the port
 */
public record SimOptions(String host, int port, long ttftMillis, double tokensPerSecond, int defaultOutputTokens,
                         int minCacheableTokens, String defaultFault, boolean canned, int instances) {

    public SimOptions {
        requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = random)");
        }
        if (ttftMillis < 0) {
            throw new IllegalArgumentException("ttftMillis: " + ttftMillis + " (expected: >= 0)");
        }
        if (!(tokensPerSecond >= 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokensPerSecond: " + tokensPerSecond + " (expected: >= 0, 0 = instant)");
        }
        if (defaultOutputTokens < 1) {
            throw new IllegalArgumentException("defaultOutputTokens: " + defaultOutputTokens + " (expected: >= 1)");
        }
        if (minCacheableTokens < 0) {
            throw new IllegalArgumentException("minCacheableTokens: " + minCacheableTokens + " (expected: >= 0)");
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances: " + instances + " (expected: >= 1)");
        }
        if (defaultFault != null && defaultFault.isBlank()) {
            defaultFault = null;
        }
        if (defaultFault != null) {
            FaultPlan.parse(defaultFault); // fail at configuration time, not on the first request
        }
    }

    /** 127.0.0.1, random port, instant output of 40 tokens, 1024-token cache minimum, one instance per core. */
    public static SimOptions defaults() {
        return new SimOptions("127.0.0.1", 0, 0, 0, 40, 1024, null, false,
                Runtime.getRuntime().availableProcessors());
    }

    public SimOptions withHost(String host) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withPort(int port) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withTtftMillis(long ttftMillis) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withTokensPerSecond(double tokensPerSecond) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withDefaultOutputTokens(int defaultOutputTokens) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withMinCacheableTokens(int minCacheableTokens) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withDefaultFault(String defaultFault) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withCanned(boolean canned) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }

    public SimOptions withInstances(int instances) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances);
    }
}
