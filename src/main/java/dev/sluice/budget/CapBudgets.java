package dev.sluice.budget;

import dev.sluice.budget.engine.ExtraBudgets;
import dev.sluice.budget.rules.Action;
import dev.sluice.budget.rules.Applied;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Limit;
import dev.sluice.budget.rules.Metric;
import dev.sluice.budget.rules.Owner;
import dev.sluice.budget.rules.Period;
import dev.sluice.budget.rules.Threshold;
import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.Identity;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The monthly caps set on users and keys ({@code sluice users create --monthly-cap}, {@code monthly_cap_usd} on a
 * key), as engine budgets: a user's cap is the budget {@value #USER} over all their keys, a key's cap the budget
 * {@value #KEY}; calendar months in UTC as before, warnings at 75% and 95% (Claude Code's two notices), refused at
 * 100%. So capped developers keep what they had (headers, the 429 at the line, {@code /api/oauth/usage}) and gain
 * reservations across replicas. The caps are read from the key registry's memory on each request, so a changed cap
 * applies at its next refresh; the counters are keyed by the budget's name and the entity, not the amount, so
 * changing a cap keeps the month's spend.
 */
final class CapBudgets implements ExtraBudgets {
    static final String USER = "user-monthly-cap";
    static final String KEY = "key-monthly-cap";
    private static final List<Threshold> THRESHOLDS = List.of(new Threshold(75, Action.ALERT), new Threshold(95, Action.ALERT),
            new Threshold(100, Action.BLOCK));
    private static final int MAX_RULES = 10_000;

    private final Function<Identity, MonthlyCaps> caps;
    private final Map<Long, BudgetRule> userRules = new ConcurrentHashMap<>();
    private final Map<Long, BudgetRule> keyRules = new ConcurrentHashMap<>();
    private volatile Owner owner = new Owner("your platform team", List.of());

    /** @param caps a caller's caps (its key's, else its user's), from memory (the key registry) */
    CapBudgets(Function<Identity, MonthlyCaps> caps) {
        this.caps = caps;
    }

    /** Whom a capped developer is told to ask, and where threshold alerts go: the budgets section's defaults. */
    void owner(Owner next) {
        if (!next.equals(owner)) {
            owner = next;
            userRules.clear();
            keyRules.clear();
        }
    }

    @Override
    public List<Applied> applicable(Identity who) {
        if (who == null || who.isOpen()) {
            return List.of();
        }
        MonthlyCaps c = caps.apply(who);
        if (c == null || c.isEmpty()) {
            return List.of();
        }
        List<Applied> out = new ArrayList<>(2);
        Long user = c.userNanoUsd();
        if (user != null && who.userId() != null) {
            out.add(new Applied(rule(userRules, USER, Level.USER, user), who.userId()));
        }
        Long key = c.keyNanoUsd();
        if (key != null) {
            out.add(new Applied(rule(keyRules, KEY, Level.KEY, key), who.keyId()));
        }
        return out;
    }

    @Override
    public List<BudgetRule> templates() {
        return List.of(make(USER, Level.USER, 1), make(KEY, Level.KEY, 1));
    }

    private BudgetRule rule(Map<Long, BudgetRule> rules, String name, Level level, long nanoUsd) {
        BudgetRule r = rules.get(nanoUsd);
        if (r != null) {
            return r;
        }
        if (rules.size() >= MAX_RULES) {
            rules.clear(); // one rule per distinct cap amount: bounded by what admins set, cleared if that ever grows
        }
        return rules.computeIfAbsent(nanoUsd, n -> make(name, level, n));
    }

    private BudgetRule make(String name, Level level, long nanoUsd) {
        ZoneId utc = ZoneOffset.UTC;
        return new BudgetRule(name, level, BudgetRule.EACH, null, List.of(new Limit(Metric.USD, Math.max(1, nanoUsd))),
                new Period.Calendar(Period.Unit.MONTH, utc), THRESHOLDS, List.of(), owner, null);
    }
}
