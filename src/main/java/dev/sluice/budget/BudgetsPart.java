package dev.sluice.budget;

import dev.sluice.budget.alert.AlertSinks;
import dev.sluice.budget.limit.RateRule;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import dev.sluice.config.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code budgets:} section compiled with each configuration: a file whose budgets, rate limits or alert sinks
 * are wrong is refused at load and at reload, and the running one keeps serving. The compiled rules are what the
 * budget stage reads from the exchange's snapshot; the counters live outside snapshots, so they survive reloads.
 */
public final class BudgetsPart {
    /** The compiled section: as written, and its validated rules. */
    public record Section(BudgetsConfig config, BudgetSet rules) {
    }

    public static final Part<Section> PART = Part.of("budgets", c -> compile("sluice.yaml", c.budgets()));

    private BudgetsPart() {
    }

    /** Validates and compiles; throws {@link BudgetConfigException} listing every problem. */
    public static Section compile(String origin, BudgetsConfig cfg) {
        List<String> problems = problems(cfg);
        if (!problems.isEmpty()) {
            throw new BudgetConfigException(origin, problems);
        }
        return new Section(cfg, BudgetRules.compile(origin, cfg));
    }

    /** Every problem of the section, each naming its key and the expected value; empty when it is usable. */
    public static List<String> problems(BudgetsConfig cfg) {
        List<String> out = new ArrayList<>();
        collect(out, () -> BudgetRules.compile("budgets", cfg));
        collect(out, () -> RateRule.fromConfig("budgets", cfg.rateLimits()));
        out.addAll(AlertSinks.problems(cfg.alerts().sinks()));
        var c = cfg.counters();
        String store = c.store() == null ? "memory" : c.store().toLowerCase(Locale.ROOT);
        if (!store.equals("memory") && !store.equals("redis")) {
            out.add("budgets.counters.store: '" + c.store() + "' (expected: memory or redis)");
        }
        if (store.equals("redis") && (c.redisUrl() == null || !c.redisUrl().startsWith("redis"))) {
            out.add("budgets.counters.redis-url: '" + c.redisUrl() + "' (expected: redis://host:6379 with store: redis)");
        }
        String policy = c.onRedisFailure() == null ? "fail-open" : c.onRedisFailure().toLowerCase(Locale.ROOT);
        if (!policy.equals("fail-open") && !policy.equals("fail-closed")) {
            out.add("budgets.counters.on-redis-failure: '" + c.onRedisFailure() + "' (expected: fail-open or fail-closed)");
        }
        var f = cfg.fairQueue();
        if (f != null && ((f.maxConcurrent() != null && f.maxConcurrent() < 1) || (f.queueSize() != null && f.queueSize() < 0))) {
            out.add("budgets.fair-queue: max-concurrent " + f.maxConcurrent() + ", queue-size " + f.queueSize()
                    + " (expected: max-concurrent >= 1, queue-size >= 0)");
        }
        return out;
    }

    private static void collect(List<String> out, Runnable check) {
        try {
            check.run();
        } catch (BudgetConfigException e) {
            out.addAll(e.problems());
        }
    }
}
