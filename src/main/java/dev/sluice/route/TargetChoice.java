package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.RouteTargetConfig;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.pipeline.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One compiled target of a rule.
 *
 * @param upstream   the upstream's name
 * @param provider   its wire protocol
 * @param model      the model name it serves, or null for the request's own (alias-resolved) one
 * @param pool       key aliases it may use (empty: all of the upstream's)
 * @param keyWeights alias → weight for new conversations
 * @param weight     share among targets of the same priority
 * @param priority   lower is tried first
 */
record TargetChoice(String upstream, String provider, String model, List<String> pool, Map<String, Integer> keyWeights,
                    int weight, int priority) {

    static TargetChoice compile(String at, RouteTargetConfig t, UpstreamConfig up, int position) {
        Set<String> aliases = up.keys().stream().map(UpstreamConfig.UpstreamKey::alias).collect(Collectors.toSet());
        for (String k : t.keys()) {
            if (!aliases.contains(k)) {
                throw new ConfigException(at + ".keys: '" + k + "' is not a key of upstream '" + up.name() + "' (expected one of "
                        + aliases + ")");
            }
        }
        t.keyWeights().forEach((k, w) -> {
            if (!aliases.contains(k)) {
                throw new ConfigException(at + ".key-weights: '" + k + "' is not a key of upstream '" + up.name() + "'");
            }
            if (w == null || w < 1 || w > 1000) {
                throw new ConfigException(at + ".key-weights." + k + ": '" + w + "' (expected: 1 to 1000)");
            }
        });
        if (t.weight() < 1 || t.weight() > 1000) {
            throw new ConfigException(at + ".weight: '" + t.weight() + "' (expected: 1 to 1000)");
        }
        int priority = t.priority() == null ? position : t.priority();
        if (priority < 0) {
            throw new ConfigException(at + ".priority: '" + priority + "' (expected: 0 or more)");
        }
        return new TargetChoice(up.name(), up.provider(), t.model(), t.keys(), t.keyWeights(), t.weight(), priority);
    }

    /**
     * The pipeline's target for a request whose (resolved) model is {@code requested}. The rewrite applies to a request
     * that names a model; a model listing names none and serves none (its record and metrics must not name the rewrite
     * target, or a report by model counts every listing as a request of it).
     */
    Target target(String requested) {
        return new Target(upstream, provider, model != null && requested != null ? model : requested);
    }
}
