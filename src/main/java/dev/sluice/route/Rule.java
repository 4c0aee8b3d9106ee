package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.RouteTargetConfig;
import dev.sluice.config.RoutingConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One compiled routing rule: when it applies (model glob and conditions) and what it does (targets in
 * priority order, retry limits, stickiness).
 *
 * @param name    its name in headers and logs
 * @param glob    the model pattern
 * @param when    the further conditions
 * @param targets sorted by priority, ties in file order
 * @param retry   attempt limits
 * @param sticky  conversations stay where they were served
 */
record Rule(String name, ModelGlob glob, Conditions when, List<TargetChoice> targets, RetryPolicy retry, boolean sticky) {

    static Rule compile(SluiceConfig config, RouteConfig r, int index) {
        String at = "routes[" + index + "]";
        List<RouteTargetConfig> configured = r.effectiveTargets();
        if (configured.isEmpty()) {
            throw new ConfigException(at + ": no target (expected: upstream: or targets:)");
        }
        List<TargetChoice> targets = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            RouteTargetConfig t = configured.get(i);
            String tAt = r.targets().isEmpty() ? at : at + ".targets[" + i + "]";
            UpstreamConfig up = config.upstream(t.upstream());
            if (up == null) {
                throw new ConfigException(tAt + ".upstream: '" + t.upstream() + "' is not defined");
            }
            targets.add(TargetChoice.compile(tAt, t, up, i));
        }
        targets.sort(Comparator.comparingInt(TargetChoice::priority));
        RoutingConfig routing = config.routing();
        RetryPolicy retry = RetryPolicy.compile(r.retry() == null ? "routing.retry" : at + ".retry",
                r.retry() == null ? routing.retry() : r.retry().over(routing.retry()), distinctUpstreams(targets));
        boolean sticky = r.sticky() != null ? r.sticky() : routing.sticky().enabled();
        return new Rule(r.name() != null ? r.name() : at, new ModelGlob(r.match()), Conditions.compile(at + ".when", r.when()),
                List.copyOf(targets), retry, sticky);
    }

    /** True when the request's model (as asked, or as resolved) fits and every condition holds. */
    boolean matches(RequestTraits t) {
        if (t.requested() != null && !glob.matches(t.requested()) && !glob.matches(t.model())) {
            return false;
        }
        return when.test(t);
    }

    private static int distinctUpstreams(List<TargetChoice> targets) {
        return (int) targets.stream().map(TargetChoice::upstream).distinct().count();
    }
}
