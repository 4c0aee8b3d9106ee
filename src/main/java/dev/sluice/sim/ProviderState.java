package dev.sluice.sim;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** What the simulated providers remember across requests: the OAuth access tokens the token endpoint issued. */
final class ProviderState {
    /** A bound on remembered tokens, so a test loop cannot grow memory without end. */
    static final int MAX_TOKENS = 10_000;

    private final Set<String> issued = ConcurrentHashMap.newKeySet();

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
