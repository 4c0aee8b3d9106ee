package dev.sluice.upstream;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses one key of an upstream's pool for an attempt:
 *
 * <ol>
 *   <li>keys this request already tried on the target are left out (unless nothing else is left);</li>
 *   <li>the conversation's own key (where its prompt cache is) wins while it is usable;</li>
 *   <li>otherwise, among usable keys (not cooling down after a {@code retry-after}, not out of requests or
 *       tokens by the upstream's own rate-limit headers), the lowest
 *       {@code (outstanding + 1) / (weight × headroom)}: weighted least-outstanding, leaning away from
 *       keys close to their limit;</li>
 *   <li>keys that score the same are told apart by the conversation's hash, so when keys are equally
 *       idle a conversation lands where its hash says, the same way every time;</li>
 *   <li>when no key is usable, the one that will be usable soonest (the upstream's answer is then the
 *       truthful one).</li>
 * </ol>
 * Stateless: the state is in {@link KeyStates}. Allocation-free apart from the result.
 */
public final class KeyBalancer {
    private final KeyStates states;

    public KeyBalancer(KeyStates states) {
        this.states = states;
    }

    /**
     * @param spec      the upstream (at least one key)
     * @param pool      aliases the target may use, empty for all
     * @param weights   alias → weight (missing: 1)
     * @param tried     aliases this request already used on this target
     * @param preferred the conversation's key alias, or null
     * @param tokens    the request's estimated input tokens
     * @param hash      the conversation's hash (ties)
     */
    public UpstreamKey choose(UpstreamSpec spec, List<String> pool, Map<String, Integer> weights, Set<String> tried,
                              String preferred, long tokens, int hash, long now) {
        UpstreamKey best = pick(spec, pool, weights, tried, preferred, tokens, hash, now);
        return best != null || tried.isEmpty() ? best : pick(spec, pool, weights, Set.of(), preferred, tokens, hash, now);
    }

    /** True when some key of the pool can take a request now (a target whose keys all wait is skipped when it can be). */
    public boolean anyUsable(UpstreamSpec spec, List<String> pool, long tokens, long now) {
        if (!spec.hasKeys()) {
            return true;
        }
        for (UpstreamKey k : spec.keys()) {
            if (inPool(pool, k.alias()) && states.of(spec.name(), k.alias()).usable(tokens, now)) {
                return true;
            }
        }
        return false;
    }

    /** Epoch millis when the pool's soonest key is usable (at or before now: now). */
    public long availableAt(UpstreamSpec spec, List<String> pool, long tokens, long now) {
        long soonest = Long.MAX_VALUE;
        for (UpstreamKey k : spec.keys()) {
            if (inPool(pool, k.alias())) {
                soonest = Math.min(soonest, states.of(spec.name(), k.alias()).availableAt(tokens, now));
            }
        }
        return soonest == Long.MAX_VALUE ? now : soonest;
    }

    private UpstreamKey pick(UpstreamSpec spec, List<String> pool, Map<String, Integer> weights, Set<String> tried,
                             String preferred, long tokens, int hash, long now) {
        List<UpstreamKey> keys = spec.keys();
        int[] ties = new int[keys.size()];
        int count = 0;
        double bestScore = Double.MAX_VALUE;
        UpstreamKey soonest = null;
        long soonestAt = Long.MAX_VALUE;
        for (int i = 0; i < keys.size(); i++) {
            UpstreamKey k = keys.get(i);
            if (!inPool(pool, k.alias()) || tried.contains(k.alias())) {
                continue;
            }
            KeyState s = states.of(spec.name(), k.alias());
            long at = s.availableAt(tokens, now);
            if (at > now) {
                if (at < soonestAt) {
                    soonestAt = at;
                    soonest = k;
                }
                continue;
            }
            if (k.alias().equals(preferred)) {
                return k;
            }
            double room = Math.max(0.05, s.limits().headroom(now));
            double score = (s.outstanding() + 1) / (weights.getOrDefault(k.alias(), 1) * room);
            if (score < bestScore) {
                bestScore = score;
                count = 0;
            }
            if (score == bestScore) {
                ties[count++] = i;
            }
        }
        if (count == 0) {
            return soonest;
        }
        return keys.get(ties[count == 1 ? 0 : Math.floorMod(hash, count)]);
    }

    private static boolean inPool(List<String> pool, String alias) {
        return pool.isEmpty() || pool.contains(alias);
    }
}
