package dev.sluice.guard.stage;

import dev.sluice.config.GuardConfig;
import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.Severity;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The actions of one policy, compiled: per rule, per category, per severity, a default, and one for a scan
 * that stopped early. {@link #decide} picks a finding's: its rule's entry if any; else the stricter of its
 * category's and its severity's; else the default. A finding that cannot be redacted (prompt injection)
 * whose action comes out as {@code redact} is blocked instead: the operator asked for it not to go through.
 */
final class ActionTable {
    /** Built-in defaults: credentials and operator rules block, personal data is redacted, injection is flagged. */
    static final ActionTable BUILT_IN = new ActionTable(Map.of(), new EnumMap<>(Map.of(Category.SECRET, GuardAction.BLOCK,
            Category.PII, GuardAction.REDACT, Category.INJECTION, GuardAction.FLAG, Category.CUSTOM, GuardAction.BLOCK)),
            new EnumMap<>(Severity.class), GuardAction.BLOCK, GuardAction.BLOCK);

    private final Map<String, GuardAction> rules;
    private final EnumMap<Category, GuardAction> categories;
    private final EnumMap<Severity, GuardAction> severities;
    private final GuardAction fallback;
    private final GuardAction truncated;

    private ActionTable(Map<String, GuardAction> rules, EnumMap<Category, GuardAction> categories, EnumMap<Severity, GuardAction> severities,
                        GuardAction fallback, GuardAction truncated) {
        this.rules = Map.copyOf(rules);
        this.categories = categories;
        this.severities = severities;
        this.fallback = fallback;
        this.truncated = truncated;
    }

    /**
     * This table with {@code a}'s entries laid over it (a null entry keeps this table's).
     *
     * @param where the configuration key of {@code a}, for error messages
     * @param known every rule name a policy may name
     */
    ActionTable over(GuardConfig.Actions a, String where, Set<String> known) {
        if (a == null) {
            return this;
        }
        Map<String, GuardAction> r = new HashMap<>(rules);
        if (a.rules() != null) {
            a.rules().forEach((name, action) -> {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(where + ".rules: unknown rule '" + name + "' (expected one of: " + known + ")");
                }
                r.put(name, GuardAction.parse(action, where + ".rules." + name));
            });
        }
        EnumMap<Category, GuardAction> c = new EnumMap<>(categories);
        put(c, Category.SECRET, GuardAction.parse(a.secret(), where + ".secret"));
        put(c, Category.PII, GuardAction.parse(a.pii(), where + ".pii"));
        put(c, Category.INJECTION, GuardAction.parse(a.injection(), where + ".injection"));
        put(c, Category.CUSTOM, GuardAction.parse(a.custom(), where + ".custom"));
        EnumMap<Severity, GuardAction> s = new EnumMap<>(severities);
        put(s, Severity.CRITICAL, GuardAction.parse(a.critical(), where + ".critical"));
        put(s, Severity.HIGH, GuardAction.parse(a.high(), where + ".high"));
        put(s, Severity.MEDIUM, GuardAction.parse(a.medium(), where + ".medium"));
        put(s, Severity.LOW, GuardAction.parse(a.low(), where + ".low"));
        GuardAction d = GuardAction.parse(a.byDefault(), where + ".default");
        GuardAction t = GuardAction.parse(a.truncated(), where + ".truncated");
        if (t == GuardAction.REDACT) {
            throw new IllegalArgumentException(where + ".truncated: 'redact' (expected: block or flag; an unfinished scan has nothing to redact)");
        }
        return new ActionTable(r, c, s, d == null ? fallback : d, t == null ? truncated : t);
    }

    private static <K extends Enum<K>> void put(EnumMap<K, GuardAction> map, K key, GuardAction value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** The action for one finding. */
    GuardAction decide(Finding f) {
        GuardAction a = rules.get(f.rule());
        if (a == null) {
            a = GuardAction.stricter(categories.get(f.category()), severities.get(f.severity()));
        }
        if (a == null) {
            a = fallback;
        }
        return a == GuardAction.REDACT && !f.redactable() ? GuardAction.BLOCK : a;
    }

    /** The action when a scan stopped at one of its bounds (the body is pathological). */
    GuardAction truncated() {
        return truncated;
    }
}
