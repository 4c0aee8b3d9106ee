package dev.sluice.sim;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulated providers remember across requests: the OAuth access tokens the token endpoint issued, the
 * conversations held for {@code thread} requests ({@link SimThreads}), and
 * standing {@code x-sim-*} directives for requests that cannot carry their own (a gateway's Bedrock or OpenAI
 * adapter builds its requests from scratch, so a client's steering headers never reach the simulator).
 */
final class ProviderState {
    /** A bound on remembered tokens, so a test loop cannot grow memory without end. */
    static final int MAX_TOKENS = 10_000;

    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private volatile MultiMap standing = MultiMap.caseInsensitiveMultiMap();
    private final SimThreads threads = new SimThreads();
    private final SimBatches batches = new SimBatches();

    /** The Message Batches the Anthropic wire holds, per upstream key. */
    SimBatches batches() {
        return batches;
    }

    /** Conversations the Anthropic wire holds for {@code thread} requests. */
    SimThreads threads() {
        return threads;
    }

    /** Directives every request gets unless it names the same header itself; an empty map clears them. */
    void standing(Map<String, String> directives) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        directives.forEach((name, value) -> {
            if (!name.toLowerCase(java.util.Locale.ROOT).startsWith("x-sim-")) {
                throw new IllegalArgumentException("standing directive '" + name + "' (expected: an x-sim-* header)");
            }
            m.set(name, value);
        });
        standing = m;
    }

    /** {@code headers} with the standing directives it does not name itself. */
    MultiMap withStanding(MultiMap headers) {
        MultiMap s = standing;
        if (s.isEmpty()) {
            return headers;
        }
        MultiMap out = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        s.forEach(h -> {
            if (!out.contains(h.getKey())) {
                out.set(h.getKey(), h.getValue());
            }
        });
        return out;
    }

    String issueToken() {
        if (issued.size() >= MAX_TOKENS) {
            issued.clear();
        }
        String token = "ya29.sim-" + UUID.randomUUID();
        issued.add(token);
        return token;
    }

    boolean validToken(String token) {
        return token != null && (issued.contains(token) || token.equals(VertexSim.STATIC_TOKEN));
    }
}
