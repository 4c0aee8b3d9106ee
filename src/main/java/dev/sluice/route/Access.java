package dev.sluice.route;

import dev.sluice.config.RoutingConfig;
import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Identity;
import java.util.List;
import java.util.Locale;

/**
 * Which models a caller may use ({@code routing.access}). The first rule whose selectors all match
 * the caller decides; a caller no rule names may use every model. The id an alias resolves to is
 * what the allow-list judges, and a deny matches either name, so an alias cannot get round a rule.
 */
public final class Access {
    private final List<Rule> rules;

    private Access(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static Access compile(List<RoutingConfig.AccessRule> config) {
        return new Access(config.stream().map(Rule::of).toList());
    }

    /** Null when {@code who} may use the model, else the reason (for a 400 naming the model). */
    String denial(Identity who, String requested, String resolved) {
        Rule rule = ruleFor(who);
        if (rule == null || rule.allows(resolved) && !rule.denies(requested)) {
            return null;
        }
        String named = "'" + Bounded.text(requested, Bounded.MODEL) + "'"
                + (resolved.equals(requested) ? "" : " (" + Bounded.text(resolved, Bounded.MODEL) + ")");
        return "model: " + named + " is not available to this caller on this gateway; ask your platform team for access";
    }

    /** True when {@code who} may use model id {@code id} (for listings). */
    boolean allows(Identity who, String id) {
        Rule rule = ruleFor(who);
        return rule == null || rule.allows(id);
    }

    /**
     * The names a deny pattern (written lower-cased) is held against for {@code model}: the name in lower case,
     * without a path-style provider prefix, and without a Bedrock-style {@code …anthropic.} prefix. Public so every
     * deny list in the gateway (sign-in's model policy too) folds names the same way.
     */
    public static List<String> denyForms(String model) {
        String lower = model.toLowerCase(Locale.ROOT);
        String bare = lower.substring(lower.lastIndexOf('/') + 1);
        int dotted = bare.lastIndexOf("anthropic.");
        String unprefixed = dotted >= 0 ? bare.substring(dotted + "anthropic.".length()) : bare;
        return List.of(lower, bare, unprefixed);
    }

    private Rule ruleFor(Identity who) {
        if (who == null) {
            return null;
        }
        for (Rule r : rules) {
            if (r.applies(who)) {
                return r;
            }
        }
        return null;
    }

    /** One compiled allow-list. */
    private record Rule(String key, String user, String team, String org, List<ModelGlob> allow, List<ModelGlob> deny) {
        static Rule of(RoutingConfig.AccessRule r) {
            return new Rule(r.key(), r.user(), r.team(), r.org(), r.models().stream().map(ModelGlob::new).toList(),
                    r.deny().stream().map(d -> new ModelGlob(d.toLowerCase(Locale.ROOT))).toList());
        }

        boolean applies(Identity who) {
            return (key == null || key.equals(who.keyId()) || key.equals(who.keyAlias()))
                    && (user == null || user.equals(who.userId())) && (team == null || team.equals(who.teamId()))
                    && (org == null || org.equals(who.orgId()));
        }

        /**
         * A deny holds for the name in any case and behind a provider's prefix ({@code anthropic/claude-opus-4-6}
         * for OpenRouter-style upstreams, {@code us.anthropic.claude-opus-…} for Bedrock's), since upstreams that
         * fold case or strip such prefixes would serve the denied model all the same.
         */
        boolean denies(String model) {
            if (model == null || deny.isEmpty()) {
                return false;
            }
            List<String> forms = denyForms(model);
            for (ModelGlob d : deny) {
                for (String form : forms) {
                    if (d.matches(form)) {
                        return true;
                    }
                }
            }
            return false;
        }

        boolean allows(String model) {
            if (denies(model)) {
                return false;
            }
            for (ModelGlob a : allow) {
                if (a.matches(model)) {
                    return true;
                }
            }
            return false;
        }
    }
}
