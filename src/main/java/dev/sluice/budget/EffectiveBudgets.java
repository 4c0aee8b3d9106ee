package dev.sluice.budget;

import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig;
import dev.sluice.budget.rules.BudgetsConfig.BudgetConfig;
import dev.sluice.budget.rules.Hierarchy;
import dev.sluice.config.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budgets in force: the configuration's {@code budgets.list} with the admin-set budgets merged over it by name
 * (an admin budget with a configured budget's name replaces it; others are added). Recompiled only when either side
 * changes (a reload, an admin change here or on another replica), then handed to {@link Budgets#engineFor}, which
 * keeps the counters. The section-wide settings (time zone, degrade chain, sinks, default thresholds) come from the
 * configuration.
 */
final class EffectiveBudgets {
    private static final Logger log = LoggerFactory.getLogger(EffectiveBudgets.class);

    private final Budgets budgets;
    private final ManagedBudgets managed;
    private volatile Cached cached;

    private record Cached(BudgetsPart.Section section, ManagedBudgets.View view, BudgetSet rules) {
    }

    EffectiveBudgets(Budgets budgets, ManagedBudgets managed) {
        this.budgets = budgets;
        this.managed = managed;
    }

    /** The engine for the budgets in force under {@code snapshot}; a reference comparison when nothing changed. */
    BudgetEngine engine(Snapshot snapshot) {
        return budgets.engineFor(rules(snapshot.get(BudgetsPart.PART)));
    }

    BudgetSet rules(BudgetsPart.Section section) {
        ManagedBudgets.View view = managed.view();
        Cached c = cached;
        if (c != null && c.section() == section && c.view() == view) {
            return c.rules();
        }
        synchronized (this) {
            c = cached;
            if (c != null && c.section() == section && c.view() == view) {
                return c.rules();
            }
            BudgetSet rules = compose(section, view);
            cached = new Cached(section, view, rules);
            return rules;
        }
    }

    /**
     * Budgets as stored go in as they are; one that no longer validates (a reload removed a sink it names, a stricter
     * check) is left out, alone. Before, one such budget left every admin-set budget out: a team's raised budget fell
     * back to the file's and the team was refused, a developer's lowered cap vanished (round 23).
     */
    private static BudgetSet compose(BudgetsPart.Section section, ManagedBudgets.View view) {
        if (view.entries().isEmpty()) {
            return section.rules();
        }
        List<BudgetConfig> stored = view.entries().values().stream().map(ManagedBudgets.Entry::config).toList();
        try {
            return compile(section.config(), stored, Hierarchy.UNKNOWN);
        } catch (BudgetConfigException e) {
            List<BudgetConfig> fit = fitting(section.config(), stored, Hierarchy.UNKNOWN, (b, why) -> log.error(
                    "budget '{}' set through the admin API does not fit the configuration and is not applied until fixed: {}",
                    b.name(), why.getMessage()));
            try {
                return compile(section.config(), fit, Hierarchy.UNKNOWN);
            } catch (BudgetConfigException together) {
                log.error("budgets set through the admin API do not fit the configuration together and are not applied until"
                        + " fixed: {}", together.getMessage());
                return section.rules();
            }
        }
    }

    /** The budgets of {@code extra} that each validate with the section; {@code unfit} hears of the others. */
    static List<BudgetConfig> fitting(BudgetsConfig section, List<BudgetConfig> extra, Hierarchy hierarchy,
                                      BiConsumer<BudgetConfig, BudgetConfigException> unfit) {
        List<BudgetConfig> out = new ArrayList<>();
        for (BudgetConfig b : extra) {
            try {
                compile(section, List.of(b), hierarchy);
                out.add(b);
            } catch (BudgetConfigException e) {
                unfit.accept(b, e);
            }
        }
        return out;
    }

    /** The section with {@code extra} budgets merged over its list by name, compiled: the check an admin change must pass. */
    static BudgetSet compile(BudgetsConfig section, List<BudgetConfig> extra, Hierarchy hierarchy) {
        Map<String, BudgetConfig> byName = new LinkedHashMap<>();
        List<BudgetConfig> unnamed = new ArrayList<>();
        for (BudgetConfig b : section.list()) {
            if (b == null || b.name() == null) {
                unnamed.add(b);
            } else {
                byName.put(b.name(), b);
            }
        }
        extra.forEach(b -> byName.put(b.name(), b));
        List<BudgetConfig> list = new ArrayList<>(unnamed);
        list.addAll(byName.values());
        BudgetsConfig merged = new BudgetsConfig(section.timeZone(), section.contact(), section.degrade(), section.defaultThresholds(),
                section.counters(), section.outputEstimate(), list, section.alerts(), section.rateLimits(), section.fairQueue());
        return BudgetRules.compile("budgets", merged, hierarchy);
    }
}
