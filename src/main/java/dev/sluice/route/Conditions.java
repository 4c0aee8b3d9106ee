package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.RouteWhenConfig;
import dev.sluice.pipeline.Identity;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code when:} of a rule, compiled into a list of tests, cheapest first (caller, headers,
 * budget, time, size before anything that looks into the body), each stopping at its first miss.
 */
final class Conditions {
    static final Conditions ALWAYS = new Conditions(List.of());

    private final List<Predicate<RequestTraits>> tests;

    private Conditions(List<Predicate<RequestTraits>> tests) {
        this.tests = List.copyOf(tests);
    }

    boolean test(RequestTraits t) {
        for (Predicate<RequestTraits> p : tests) {
            if (!p.test(t)) {
                return false;
            }
        }
        return true;
    }

    /** @param at where the conditions are in the file ({@code routes[2].when}), for error messages */
    static Conditions compile(String at, RouteWhenConfig w) {
        if (w == null) {
            return ALWAYS;
        }
        List<Predicate<RequestTraits>> tests = new ArrayList<>();
        if (w.caller() != null) {
            tests.add(caller(w.caller()));
        }
        w.headers().forEach((name, glob) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            ModelGlob g = new ModelGlob(glob == null ? "*" : glob);
            tests.add(t -> g.matches(t.header(lower)));
        });
        if (!w.budget().isEmpty()) {
            Set<BudgetSignal.Level> levels = EnumSet.noneOf(BudgetSignal.Level.class);
            for (String b : w.budget()) {
                levels.add(level(at + ".budget", b));
            }
            tests.add(t -> levels.contains(t.budget()));
        }
        if (w.time() != null) {
            TimeWindow window = TimeWindow.compile(at + ".time", w.time());
            tests.add(t -> window.contains(t.nowMillis()));
        }
        if (w.inputTokens() != null) {
            long min = w.inputTokens().atLeast() == null ? Long.MIN_VALUE : w.inputTokens().atLeast();
            long max = w.inputTokens().below() == null ? Long.MAX_VALUE : w.inputTokens().below();
            if (min >= max) {
                throw new ConfigException(at + ".input-tokens: at-least " + min + ", below " + max
                        + " (expected: at-least smaller than below)");
            }
            tests.add(t -> t.estimatedTokens() >= min && t.estimatedTokens() < max);
        }
        flag(tests, w.tools(), RequestTraits::tools);
        flag(tests, w.thinking(), RequestTraits::thinking);
        flag(tests, w.images(), RequestTraits::images);
        return new Conditions(tests);
    }

    private static void flag(List<Predicate<RequestTraits>> tests, Boolean want, Predicate<RequestTraits> has) {
        if (want != null) {
            boolean w = want;
            tests.add(t -> has.test(t) == w);
        }
    }

    private static BudgetSignal.Level level(String at, String word) {
        return switch (word == null ? "" : word.toLowerCase(Locale.ROOT)) {
            case "ok" -> BudgetSignal.Level.OK;
            case "warning" -> BudgetSignal.Level.WARNING;
            case "exhausted" -> BudgetSignal.Level.EXHAUSTED;
            default -> throw new ConfigException(at + ": '" + word + "' (expected: ok, warning or exhausted)");
        };
    }

    private static Predicate<RequestTraits> caller(RouteWhenConfig.Caller c) {
        boolean anyIdentity = !c.keys().isEmpty() || !c.users().isEmpty() || !c.teams().isEmpty() || !c.orgs().isEmpty();
        Map<String, ModelGlob> tags = globs(c.tags());
        return t -> {
            Identity who = t.identity();
            if (who == null) {
                return false;
            }
            if (anyIdentity && !(c.keys().contains(who.keyId()) || c.keys().contains(who.keyAlias())
                    || contains(c.users(), who.userId()) || contains(c.teams(), who.teamId()) || contains(c.orgs(), who.orgId()))) {
                return false;
            }
            return tagsMatch(tags, who);
        };
    }

    private static Map<String, ModelGlob> globs(Map<String, String> tags) {
        Map<String, ModelGlob> out = new java.util.HashMap<>();
        tags.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), new ModelGlob(v == null ? "*" : v)));
        return Map.copyOf(out);
    }

    private static boolean tagsMatch(Map<String, ModelGlob> tags, Identity who) {
        for (Map.Entry<String, ModelGlob> e : tags.entrySet()) {
            if (!e.getValue().matches(who.tags().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(List<String> list, String value) {
        return value != null && list.contains(value);
    }
}
