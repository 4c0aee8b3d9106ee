package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.pipeline.Identity;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Engines built the way the gateway builds them: YAML through the validator, the built-in price table. */
public final class TestBudgets {
    public static final Pricing PRICING = Pricing.of(new Meter(PriceTable.builtIn()));

    private TestBudgets() {
    }

    public static BudgetSet rules(String yaml) {
        return BudgetRules.compile("test", BudgetRules.parse("test", yaml));
    }

    public static BudgetEngine engine(String yaml, CounterStore store, Clock clock, CrossingListener listener) {
        return new BudgetEngine(rules(yaml), store, PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(10), 1000, listener);
    }

    public static Identity who(String user, String team, String org) {
        return new Identity("key-" + user, "laptop", user, team, org, Map.of());
    }
}
