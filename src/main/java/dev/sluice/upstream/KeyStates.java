package dev.sluice.upstream;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of every upstream key, by upstream name and key alias. Entries exist only for keys of
 * the configuration serving now: {@link #retain} drops the others after a reload, so the map is
 * bounded by the configuration, and an in-flight attempt on a dropped key only loses its counter.
 */
public final class KeyStates {
    private final Map<String, Map<String, KeyState>> byUpstream = new ConcurrentHashMap<>();

    /** The state of {@code alias} on {@code upstream}, created on first use. */
    public KeyState of(String upstream, String alias) {
        // Read first: a few calls per request, all for keys made long ago, and a lookup costs less than computeIfAbsent.
        Map<String, KeyState> keys = byUpstream.get(upstream);
        KeyState known = keys == null ? null : keys.get(alias);
        if (known != null) {
            return known;
        }
        return byUpstream.computeIfAbsent(upstream, u -> new ConcurrentHashMap<>()).computeIfAbsent(alias, a -> new KeyState());
    }

    /** Keeps only the keys of {@code live} (upstream name → key aliases). */
    public void retain(Map<String, Set<String>> live) {
        byUpstream.keySet().removeIf(u -> !live.containsKey(u));
        byUpstream.forEach((u, keys) -> {
            Set<String> aliases = live.get(u);
            keys.keySet().removeIf(a -> aliases == null || !aliases.contains(a));
        });
    }
}
