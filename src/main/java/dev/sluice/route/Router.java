package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.HealthConfig;
import dev.sluice.config.Part;
import dev.sluice.config.RoutingConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing of one configuration snapshot, compiled once: rules in order, the model catalog with
 * its aliases, and the allow-lists. A reload compiles a new one; requests in flight keep theirs.
 */
public final class Router {
    public static final Part<Router> PART = Part.of("routes", Router::new);

    private final List<Rule> rules;
    private final Catalog catalog;
    private final Access access;

    public Router(SluiceConfig config) {
        List<Rule> compiled = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.routes().size(); i++) {
            Rule rule = Rule.compile(config, config.routes().get(i), i);
            if (!names.add(rule.name())) {
                throw new ConfigException("routes[" + i + "].name: '" + rule.name() + "' (expected: a name no other rule has)");
            }
            compiled.add(rule);
        }
        this.rules = List.copyOf(compiled);
        this.catalog = Catalog.compile(config.routing().models());
        this.access = Access.compile(config.routing().access());
        check(config.routing());
    }

    /** The shared settings' ranges (the retry defaults are checked with every rule that uses them). */
    private static void check(RoutingConfig r) {
        HealthConfig h = r.health();
        require(h.window().toMillis() >= 100, "routing.health.window", h.window(), "at least 100ms");
        require(h.minRequests() >= 1, "routing.health.min-requests", h.minRequests(), "1 or more");
        require(h.failureRate() > 0 && h.failureRate() <= 1, "routing.health.failure-rate", h.failureRate(), "more than 0, at most 1");
        require(h.consecutiveFailures() >= 1, "routing.health.consecutive-failures", h.consecutiveFailures(), "1 or more");
        require(h.openFor().toMillis() > 0 && h.maxOpenFor().compareTo(h.openFor()) >= 0, "routing.health.open-for",
                h.openFor(), "a positive duration, at most max-open-for");
        require(h.probeInterval().toMillis() > 0, "routing.health.probe-interval", h.probeInterval(), "a positive duration");
        if (h.check() != null) {
            require(h.check().interval().toMillis() >= 1000, "routing.health.check.interval", h.check().interval(), "at least 1s");
            require(h.check().timeout().toMillis() > 0, "routing.health.check.timeout", h.check().timeout(), "a positive duration");
            require(h.check().path().startsWith("/"), "routing.health.check.path", h.check().path(), "a path starting with /");
        }
        require(r.sticky().maxEntries() >= 1 && r.sticky().maxEntries() <= 10_000_000, "routing.sticky.max-entries",
                r.sticky().maxEntries(), "1 to 10,000,000");
        require(r.sticky().ttl().toMillis() > 0, "routing.sticky.ttl", r.sticky().ttl(), "a positive duration");
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new ConfigException(key + ": '" + value + "' (expected: " + expected + ")");
        }
    }

    /** The first rule that applies to the request, or null. */
    Rule match(RequestTraits traits) {
        for (Rule rule : rules) {
            if (rule.matches(traits)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * The first target of the first rule that applies to a request for {@code model} with no other
     * traits (no caller, an empty body), or null: for tools and tests.
     */
    public Target route(String model) {
        String resolved = catalog.resolve(model);
        Rule rule = match(new RequestTraits(model, resolved, null, h -> null, null, dev.sluice.pipeline.RequestFacts.NONE,
                () -> BudgetSignal.Level.OK, () -> null, System.currentTimeMillis()));
        return rule == null ? null : rule.targets().getFirst().target(resolved);
    }

    /** Where {@link #place} sends a request: the rule, its first-priority target, and the key aliases it may use (empty: all). */
    public record Placement(String rule, Target target, List<String> keys) {
    }

    /**
     * Where a request for {@code requested} by {@code who} goes when only its model and caller are known: the alias
     * resolved, the caller's allow-list applied (the route stage's 400), and the first-priority target of the first rule
     * that applies; null when none does. For Message Batches, which go upstream as one call, so no request of one can
     * fall back or be placed by its body's traits (a rule on headers, tools or size sees none).
     */
    public Placement place(dev.sluice.pipeline.Identity who, String requested, long nowMillis) {
        String resolved = catalog.resolve(requested);
        String denial = access.denial(who, requested, resolved);
        if (denial != null) {
            throw dev.sluice.wire.ApiError.invalidRequest(denial);
        }
        Rule rule = match(new RequestTraits(requested, resolved, who, h -> null, null, dev.sluice.pipeline.RequestFacts.NONE,
                () -> BudgetSignal.Level.OK, () -> null, nowMillis));
        if (rule == null) {
            return null;
        }
        TargetChoice first = rule.targets().getFirst();
        for (TargetChoice t : rule.targets()) {
            first = t.priority() < first.priority() ? t : first;
        }
        return new Placement(rule.name(), first.target(resolved), first.pool());
    }

    Catalog catalog() {
        return catalog;
    }

    /** The model id an alias of {@code routing.models} stands for; any other name as it is (sign-in's model policy). */
    public String resolve(String model) {
        return catalog.resolve(model);
    }

    Access access() {
        return access;
    }
}
