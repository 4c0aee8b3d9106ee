package dev.sluice.config;

import java.util.List;
import java.util.Map;

/**
 * One place a rule may send an attempt: an upstream, the model name it serves, and the pool of that
 * upstream's keys to use.
 *
 * @param upstream   name of an entry in {@code upstreams}
 * @param model      model name sent upstream, or null for the requested (alias-resolved) one
 * @param keys       aliases of the upstream's keys this target may use, or null/empty for all of them
 * @param keyWeights relative share of new conversations per key alias (default 1 each)
 * @param weight     relative share among targets of the same priority (default 1)
 * @param priority   fallback order: lower first; targets of equal priority share load by weight
 *                   (default: the target's position in the list, so a plain list is a fallback chain)
 */
public record RouteTargetConfig(String upstream, String model, List<String> keys, Map<String, Integer> keyWeights,
                                Integer weight, Integer priority) {
    public RouteTargetConfig {
        keys = keys == null ? List.of() : List.copyOf(keys);
        keyWeights = keyWeights == null ? Map.of() : Map.copyOf(keyWeights);
        weight = weight == null ? 1 : weight;
    }
}
