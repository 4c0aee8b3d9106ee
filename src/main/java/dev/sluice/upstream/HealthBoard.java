package dev.sluice.upstream;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health of every upstream, by name; lives outside configuration snapshots so breakers and
 * counts survive reloads. {@link #retain} forgets upstreams the configuration no longer has, so the
 * board is bounded by the configuration.
 */
public final class HealthBoard {
    private final Map<String, TargetHealth> byUpstream = new ConcurrentHashMap<>();

    public TargetHealth of(String upstream) {
        return byUpstream.computeIfAbsent(upstream, u -> new TargetHealth());
    }

    public void retain(Set<String> upstreams) {
        byUpstream.keySet().removeIf(u -> !upstreams.contains(u));
    }
}
