package dev.sluice.budget.rules;

import dev.sluice.budget.rules.BudgetsConfig.BudgetConfig;
import dev.sluice.budget.rules.BudgetsConfig.PoolConfig;
import dev.sluice.budget.rules.BudgetsConfig.ThresholdConfig;
import dev.sluice.config.Durations;
import dev.sluice.pipeline.Bounded;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one budget entry, adding a message per problem (naming the entry and key) instead of stopping at the first. */
final class RuleReader {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Duration MIN_ROLLING = Duration.ofHours(1);
    private static final Duration MAX_ROLLING = Duration.ofDays(366);

    private final String where;
    private final List<String> problems;
    private final ZoneId zone;
    private final List<String> chain;
    private final List<Integer> defaultThresholds;
    private final List<String> defaultSinks;
    private final Set<String> sinkNames;
    private final String contact;

    RuleReader(String where, List<String> problems, ZoneId zone, List<String> chain, List<Integer> defaultThresholds,
               List<String> defaultSinks, Set<String> sinkNames, String contact) {
        this.where = where;
        this.problems = problems;
        this.zone = zone;
        this.chain = chain;
        this.defaultThresholds = defaultThresholds;
        this.defaultSinks = defaultSinks;
        this.sinkNames = sinkNames;
        this.contact = contact;
    }

    BudgetRule read(BudgetConfig b) {
        int before = problems.size();
        String name = b.name();
        if (name == null || !NAME.matcher(name).matches()) {
            problem("name", "'" + name + "' (expected: 1-64 letters, digits, '_', '.', '-')");
        }
        Level level = Level.parse(b.level() == null ? null : b.level().trim().toLowerCase(Locale.ROOT));
        if (level == null) {
            problem("level", "'" + b.level() + "' (expected one of: org, team, user, key, tag)");
        }
        String[] id = id(level, b.id());
        List<Limit> limits = limits(b);
        Period period = period(b.period());
        List<Threshold> thresholds = thresholds(b.thresholds());
        List<String> degrade = b.degrade() == null ? chain : List.copyOf(b.degrade());
        if (thresholds.stream().anyMatch(t -> t.action() == Action.DEGRADE) && degrade.size() < 2) {
            problem("degrade", degrade + " (expected: a chain of at least two models, most expensive first, "
                    + "in the budget or in budgets.degrade, since a threshold degrades)");
        }
        Owner owner = owner(b);
        PoolRule pool = b.pool() == null ? null : pool(b.pool(), level, id[1], limits);
        if (problems.size() > before) {
            return null;
        }
        return new BudgetRule(name, level, id[1], id[0], limits, period, thresholds, degrade, owner, pool);
    }

    /** {tagName or null, id}. */
    private String[] id(Level level, String raw) {
        if (raw == null || raw.isBlank()) {
            problem("id", "missing (expected: the " + (level == null ? "entity" : level.label()) + " id, or '*' for each one"
                    + (level == Level.TAG ? "; for tags name=value or name=*" : "") + ")");
            return new String[] {null, "?"};
        }
        String id = raw.trim();
        int max = level == Level.TAG ? Bounded.TAG_NAME + 1 + Bounded.TAG_VALUE : Bounded.ID;
        if (id.chars().anyMatch(Character::isISOControl) || id.length() > max) {
            // No caller can carry such an id (identities and tags are bounded, without control characters): a budget on
            // it would never apply, silently. Its echo is bounded too.
            problem("id", "'" + shown(id) + "' (expected: an id of at most " + Bounded.ID + " characters, or name=value of at most "
                    + (Bounded.TAG_NAME + 1 + Bounded.TAG_VALUE) + " for a tag, without control characters)");
            return new String[] {null, "?"};
        }
        if (level != Level.TAG) {
            return new String[] {null, id};
        }
        int eq = id.indexOf('=');
        String tag = eq > 0 ? id.substring(0, eq) : null;
        String value = eq > 0 ? id.substring(eq + 1) : "";
        if (tag == null || !NAME.matcher(tag).matches() || value.isEmpty()) {
            problem("id", "'" + raw + "' (expected for a tag budget: name=value, e.g. repo=payments, or name=*)");
        }
        return new String[] {tag, value};
    }

    private List<Limit> limits(BudgetConfig b) {
        List<Limit> out = new ArrayList<>();
        if (b.usd() != null) {
            // Checked after rounding to nano-dollars too: $0.0000000001 became a budget of $0 that refused every request.
            if (b.usd().signum() <= 0 || b.usd().compareTo(BigDecimal.valueOf(1_000_000_000)) > 0 || BudgetRules.nanoUsd(b.usd()) < 1) {
                problem("usd", shown(b.usd()) + " (expected: > 0 (at least 0.000000001) and at most 1000000000)");
            } else {
                out.add(new Limit(Metric.USD, BudgetRules.nanoUsd(b.usd())));
            }
        }
        if (b.tokens() != null) {
            Metric m = switch (b.tokenKind() == null ? "total" : b.tokenKind().trim().toLowerCase(Locale.ROOT)) {
                case "total" -> Metric.TOTAL_TOKENS;
                case "input" -> Metric.INPUT_TOKENS;
                case "output" -> Metric.OUTPUT_TOKENS;
                default -> null;
            };
            if (m == null) {
                problem("token-kind", "'" + b.tokenKind() + "' (expected one of: input, output, total)");
            } else if (b.tokens() <= 0) {
                problem("tokens", b.tokens() + " (expected: > 0)");
            } else {
                out.add(new Limit(m, b.tokens()));
            }
        } else if (b.tokenKind() != null) {
            problem("token-kind", "given without tokens (expected: tokens: N beside it)");
        }
        if (b.usd() == null && b.tokens() == null) {
            problem("usd", "missing (expected: usd: AMOUNT and/or tokens: N)");
        }
        return out;
    }

    private Period period(String raw) {
        String p = raw == null ? "monthly" : raw.trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "daily":
                return new Period.Calendar(Period.Unit.DAY, zone);
            case "weekly":
                return new Period.Calendar(Period.Unit.WEEK, zone);
            case "monthly":
                return new Period.Calendar(Period.Unit.MONTH, zone);
            default:
                break;
        }
        if (p.startsWith("rolling")) {
            String d = p.substring("rolling".length()).replaceFirst("^[\\s:\\-]+", "");
            try {
                Duration length = Durations.parse(d);
                if (length.compareTo(MIN_ROLLING) >= 0 && length.compareTo(MAX_ROLLING) <= 0) {
                    return new Period.Rolling(length);
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        problem("period", "'" + raw + "' (expected: daily, weekly, monthly, or rolling followed by a window of 1h to 366d, e.g. 'rolling 7d')");
        return new Period.Calendar(Period.Unit.MONTH, zone);
    }

    private List<Threshold> thresholds(List<ThresholdConfig> raw) {
        List<Threshold> out = new ArrayList<>();
        if (raw == null) {
            for (int i = 0; i < defaultThresholds.size(); i++) {
                Integer at = defaultThresholds.get(i);
                out.add(new Threshold(at == null ? 0 : at, i == defaultThresholds.size() - 1 ? Action.BLOCK : Action.ALERT));
            }
        } else {
            for (ThresholdConfig t : raw) {
                Action a = t == null || t.action() == null ? null : Action.parse(t.action().trim().toLowerCase(Locale.ROOT));
                if (t == null || t.at() == null || a == null) {
                    problem("thresholds", (t == null ? "empty entry" : "{at: " + t.at() + ", action: " + t.action() + "}")
                            + " (expected: {at: PERCENT, action: alert|degrade|block})");
                    continue;
                }
                out.add(new Threshold(t.at(), a));
            }
        }
        int last = 0;
        boolean blocked = false;
        for (Threshold t : out) {
            if (t.percent() < 1 || t.percent() > 1000 || t.percent() <= last) {
                problem("thresholds", t.percent() + "% (expected: percents from 1 to 1000, strictly ascending)");
            }
            if (blocked) {
                problem("thresholds", t.percent() + "% comes after a block (expected: block as the last threshold)");
            }
            blocked |= t.action() == Action.BLOCK;
            last = t.percent();
        }
        return out;
    }

    private Owner owner(BudgetConfig b) {
        String who = b.owner() == null || BudgetRules.blank(b.owner().contact()) ? contact : b.owner().contact().trim();
        List<String> sinks = b.owner() == null || b.owner().sinks() == null ? defaultSinks : b.owner().sinks();
        for (String s : sinks) {
            if (!sinkNames.contains(s)) {
                problem("owner.sinks", "'" + s + "' is not a sink in budgets.alerts.sinks (expected one of: " + sinkNames + ")");
            }
        }
        return new Owner(who, sinks);
    }

    private PoolRule pool(PoolConfig p, Level level, String id, List<Limit> limits) {
        if (level != null && !level.shared()) {
            problem("pool", "on a " + level.label() + " budget (expected: pools on org, team or tag budgets)");
        }
        if (BudgetRule.EACH.equals(id)) {
            problem("pool", "on a '*' budget (expected: a pool names its members, so the budget names one team, org or tag)");
        }
        if (limits.size() != 1) {
            problem("pool", "on a budget with " + limits.size() + " amounts (expected: exactly one of usd or tokens)");
            return null;
        }
        Limit limit = limits.getFirst();
        Map<String, Long> shares = new LinkedHashMap<>();
        long sum = 0;
        if (p.shares() != null) {
            for (Map.Entry<String, BigDecimal> e : p.shares().entrySet()) {
                long v = units(limit.metric(), e.getValue(), "pool.shares." + e.getKey());
                shares.put(e.getKey(), v);
                sum = sum > Long.MAX_VALUE - v ? Long.MAX_VALUE : sum + v; // saturates: two 9e18-token shares wrapped below the amount
            }
        }
        long def = p.defaultShare() == null ? 0 : units(limit.metric(), p.defaultShare(), "pool.default-share");
        long overflow = p.overflow() == null ? limit.amount() - sum : units(limit.metric(), p.overflow(), "pool.overflow");
        if (sum > limit.amount() - overflow || overflow < 0) {
            problem("pool", "shares (" + sum + ") plus overflow (" + overflow + ") exceed the budget's amount (" + limit.amount()
                    + (limit.metric().money() ? " nano-USD" : " tokens") + ") (expected: shares + overflow <= amount)");
        }
        int at = p.rebalanceAt() == null ? 0 : p.rebalanceAt();
        if (at < 0 || at >= 100) {
            problem("pool.rebalance-at", at + " (expected: a percent of the period, 1 to 99)");
        }
        return new PoolRule(shares, def, Math.max(0, overflow), at);
    }

    private long units(Metric m, BigDecimal v, String key) {
        // Bounded before conversion: 1e30 made the nano-dollar conversion throw, a 500 instead of a named problem.
        BigDecimal max = m.money() ? BigDecimal.valueOf(1_000_000_000) : BigDecimal.valueOf(Long.MAX_VALUE / 1024);
        if (v == null || v.signum() < 0 || v.compareTo(max) > 0) {
            problem(key, (v == null ? "null" : shown(v)) + " (expected: >= 0 and at most " + max + ")");
            return 0;
        }
        return m.money() ? BudgetRules.nanoUsd(v) : v.longValue();
    }

    /** A number as the operator wrote it, unless that is long (1e308 has 309 digits written out). */
    private static String shown(BigDecimal v) {
        String plain = v.toPlainString();
        return plain.length() <= 32 ? plain : v.toString();
    }

    private static String shown(String v) {
        String clean = v.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= 64 ? clean : clean.substring(0, 64) + "... (" + v.length() + " characters)";
    }

    private void problem(String key, String message) {
        problems.add(where + "." + key + ": " + message);
    }
}
