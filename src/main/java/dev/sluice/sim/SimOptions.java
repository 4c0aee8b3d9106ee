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
 * @param script              who writes the replies: {@code plan} (the default {@code ReplyPlanner}) or {@code agent}
 *                            (the deterministic coding agent of {@link dev.sluice.sim.agent.AgentScript})
 */
public record SimOptions(String host, int port, long ttftMillis, double tokensPerSecond, int defaultOutputTokens,
                         int minCacheableTokens, String defaultFault, boolean canned, int instances, String script) {

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
        requireNonNull(script, "script");
        if (!script.equals(SCRIPT_PLAN) && !script.equals(SCRIPT_AGENT)) {
            throw new IllegalArgumentException("script: " + script + " (expected: " + SCRIPT_PLAN + " or " + SCRIPT_AGENT + ")");
        }
        if (defaultFault != null && defaultFault.isBlank()) {
            defaultFault = null;
        }
        if (defaultFault != null) {
            FaultPlan.parse(defaultFault); // fail at configuration time, not on the first request
        }
    }

    /** The default replies: filler text, quotes of tool results, Read calls ({@code ReplyPlanner}). */
    public static final String SCRIPT_PLAN = "plan";
    /** Replies of the deterministic coding agent ({@link dev.sluice.sim.agent.AgentScript}). */
    public static final String SCRIPT_AGENT = "agent";

    /** 127.0.0.1, random port, instant output of 40 tokens, 1024-token cache minimum, one instance per core. */
    public static SimOptions defaults() {
        return new SimOptions("127.0.0.1", 0, 0, 0, 40, 1024, null, false,
                Runtime.getRuntime().availableProcessors(), SCRIPT_PLAN);
    }

    public SimOptions withHost(String host) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withPort(int port) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withTtftMillis(long ttftMillis) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withTokensPerSecond(double tokensPerSecond) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withDefaultOutputTokens(int defaultOutputTokens) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withMinCacheableTokens(int minCacheableTokens) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withDefaultFault(String defaultFault) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withCanned(boolean canned) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withInstances(int instances) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    public SimOptions withScript(String script) {
        return new SimOptions(host, port, ttftMillis, tokensPerSecond, defaultOutputTokens, minCacheableTokens,
                defaultFault, canned, instances, script);
    }

    /** True when the deterministic agent writes the replies. */
    public boolean agentScript() {
        return script.equals(SCRIPT_AGENT);
    }
}
