package dev.sluice.budget.rules;

import dev.sluice.pipeline.Identity;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated budgets with lookup indexes built once: per level, the rules for one id and the rules for
 * {@code *}; per tag, the rules for one value and for any value. {@link #applicable} is a few map reads.
 */
public final class BudgetSet {
    public static final BudgetSet EMPTY = new BudgetSet(List.of(), List.of(), ZoneId.of("UTC"), "your platform team");

    private final List<BudgetRule> rules;
    private final List<String> warnings;
    private final ZoneId zone;
    private final String contact;
    private final Map<Level, Map<String, List<BudgetRule>>> byId = new EnumMap<>(Level.class);
    private final Map<Level, List<BudgetRule>> each = new EnumMap<>(Level.class);
    private final Map<String, List<BudgetRule>> byTag = new HashMap<>();
    private final Map<String, List<BudgetRule>> eachTagValue = new HashMap<>();

    BudgetSet(List<BudgetRule> rules, List<String> warnings, ZoneId zone, String contact) {
        this.rules = List.copyOf(rules);
        this.warnings = List.copyOf(warnings);
        this.zone = zone;
        this.contact = contact;
        for (BudgetRule r : rules) {
            if (r.level() == Level.TAG) {
                if (r.each()) {
                    eachTagValue.computeIfAbsent(r.tagName(), k -> new ArrayList<>()).add(r);
                } else {
                    byTag.computeIfAbsent(r.tagName() + "=" + r.id(), k -> new ArrayList<>()).add(r);
                }
            } else if (r.each()) {
                each.computeIfAbsent(r.level(), k -> new ArrayList<>()).add(r);
            } else {
                byId.computeIfAbsent(r.level(), k -> new HashMap<>()).computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
            }
        }
    }

    public List<BudgetRule> rules() {
        return rules;
    }

    /** Problems that do not stop the start (a child budget larger than its parent). */
    public List<String> warnings() {
        return warnings;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The default "whom to ask". */
    public String contact() {
        return contact;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public BudgetRule rule(String name) {
        for (BudgetRule r : rules) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Every budget the caller falls under, widest level first; the open-mode caller falls under none. */
    public List<Applied> applicable(Identity who) {
        if (who == null || who.isOpen() || rules.isEmpty()) {
            return List.of();
        }
        List<Applied> out = new ArrayList<>(4);
        for (Level level : Level.values()) {
            if (level == Level.TAG) {
                addTags(who, out);
                continue;
            }
            String id = level.idOf(who);
            if (id == null) {
                continue;
            }
            Map<String, List<BudgetRule>> ids = byId.get(level);
            List<BudgetRule> exact = ids == null ? null : ids.get(id);
            if (exact != null) {
                exact.forEach(r -> out.add(new Applied(r, id)));
            }
            List<BudgetRule> all = each.get(level);
            if (all != null) {
                all.forEach(r -> out.add(new Applied(r, id)));
            }
        }
        return out;
    }

    private void addTags(Identity who, List<Applied> out) {
        if (who.tags().isEmpty() || (byTag.isEmpty() && eachTagValue.isEmpty())) {
            return;
        }
        for (Map.Entry<String, String> tag : who.tags().entrySet()) {
            List<BudgetRule> exact = byTag.get(tag.getKey() + "=" + tag.getValue());
            if (exact != null) {
                exact.forEach(r -> out.add(new Applied(r, tag.getValue())));
            }
            List<BudgetRule> all = eachTagValue.get(tag.getKey());
            if (all != null) {
                all.forEach(r -> out.add(new Applied(r, tag.getValue())));
            }
        }
    }
}
