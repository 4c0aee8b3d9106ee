package dev.sluice.budget.rules;

import java.util.List;
import java.util.Objects;

/**
 * One validated budget.
 *
 * @param name       unique, [A-Za-z0-9_.-]{1,64}; appears in counter keys, alerts and messages
 * @param level      where it sits
 * @param id         the entity id it covers, or {@code *} for each entity at the level; for tags, the tag value or {@code *}
 * @param tagName    the tag name for a tag budget, else null
 * @param limits     one or two limits (USD and/or tokens)
 * @param period     the period counted over
 * @param thresholds ascending by percent
 * @param degrade    the degrade chain, most expensive first (empty when no threshold degrades)
 * @param owner      contact and alert sinks
 * @param pool       member shares and overflow, or null
 */
public record BudgetRule(String name, Level level, String id, String tagName, List<Limit> limits, Period period,
                         List<Threshold> thresholds, List<String> degrade, Owner owner, PoolRule pool) {

    public static final String EACH = "*";

    public BudgetRule {
        Objects.requireNonNull(name, "name");
        limits = List.copyOf(limits);
        thresholds = List.copyOf(thresholds);
        degrade = List.copyOf(degrade);
    }

    /** True when the rule counts each entity at its level separately. */
    public boolean each() {
        return EACH.equals(id);
    }

    /** The lowest percent whose action is block, or -1 when this budget never blocks. */
    public int blockPercent() {
        for (Threshold t : thresholds) {
            if (t.action() == Action.BLOCK) {
                return t.percent();
            }
        }
        return -1;
    }

    /** How many degrade thresholds lie at or below {@code percentUsed}: each one steps one model down the chain. */
    public int degradeSteps(double percentUsed) {
        int steps = 0;
        for (Threshold t : thresholds) {
            if (t.action() == Action.DEGRADE && percentUsed >= t.percent()) {
                steps++;
            }
        }
        return steps;
    }

    /** The action of the highest threshold at or below {@code percentUsed}, or null below the first. */
    public Threshold reached(double percentUsed) {
        Threshold hit = null;
        for (Threshold t : thresholds) {
            if (percentUsed >= t.percent()) {
                hit = t;
            }
        }
        return hit;
    }

    /** "team payments", "each user", "tag repo=payments": how messages name what the budget covers. */
    public String describe(String entity) {
        if (level == Level.TAG) {
            return "tag " + tagName + "=" + entity;
        }
        return level.label() + " " + entity;
    }
}
