package dev.sluice.cache.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bust counters of the in-process store: one per (org, scope) and per (org, scope, namespace),
 * created only by a bust, so caller-chosen namespaces cannot grow the map.
 */
final class Generations {
    private final ConcurrentHashMap<String, Integer> counters = new ConcurrentHashMap<>();

    long of(StoreKey key) {
        return pack(counters.getOrDefault(scopeId(key.org(), key.scope()), 0),
                counters.getOrDefault(namespaceId(key.org(), key.scope(), key.namespace()), 0));
    }

    long bump(String org, String scope, String namespace) {
        String id = namespace == null ? scopeId(org, scope) : namespaceId(org, scope, namespace);
        return counters.merge(id, 1, Integer::sum);
    }

    static long pack(int scope, int namespace) {
        return ((long) scope << 32) | (namespace & 0xFFFFFFFFL);
    }

    private static String scopeId(String org, String scope) {
        return org + '\u0000' + scope;
    }

    private static String namespaceId(String org, String scope, String namespace) {
        return org + '\u0000' + scope + '\u0000' + namespace;
    }
}
