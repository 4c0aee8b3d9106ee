package dev.sluice.signin.policy;

import dev.sluice.config.SigninConfig;
import dev.sluice.pipeline.Identity;
import dev.sluice.route.Access;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Glob;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which models a developer may use: the global allow- and deny-lists, then those of each of their IdP
 * groups. A model passes when every list that applies allows it (an empty allow-list allows all)
 * and no deny pattern matches: a group can narrow what the organisation allows, never widen it.
 *
 * <p>Names are matched as routing's access rules match them ({@link Access}), so the two lists cannot
 * disagree: the allow-list judges the id an alias resolves to; a deny pattern holds against the
 * requested name and the resolved id, in any case and behind a provider prefix
 * ({@code CLAUDE-OPUS-4-6}, {@code us.anthropic.claude-opus-4-6-v1:0}, an alias {@code opus}), since
 * an upstream that folds case, strips the prefix or resolves the alias serves the denied model all the same.
 */
public final class ModelPolicy {
    private final Lists global;
    private final Map<String, Lists> byGroup;
    private final Function<Identity, List<String>> groupsOf;

    public ModelPolicy(SigninConfig.Models config, Function<Identity, List<String>> groupsOf) {
        this.global = Lists.of(config);
        this.byGroup = config.groups().entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Lists.of(e.getValue())));
        this.groupsOf = groupsOf;
    }

    /** True when {@code who} may use model id {@code model} (listings: no alias involved). */
    public boolean allowed(Identity who, String model) {
        return allowed(who, model, model);
    }

    /** True when {@code who} may use {@code requested}, which names model id {@code resolved} (the same name unless an alias). */
    public boolean allowed(Identity who, String requested, String resolved) {
        if (requested == null || resolved == null || !global.allows(requested, resolved)) {
            return false;
        }
        if (byGroup.isEmpty() || who == null) {
            return true;
        }
        for (String g : groupsOf.apply(who)) {
            Lists l = byGroup.get(g);
            if (l != null && !l.allows(requested, resolved)) {
                return false;
            }
        }
        return true;
    }

    /** The 400 for a denied model, naming it, as the protocol asks ({@code invalid_request_error}). */
    public static ApiError denied(String model) {
        return new ApiError(400, "invalid_request_error", "model " + dev.sluice.pipeline.Bounded.text(model, 200)
                + " is not allowed for your account on this gateway", false, null);
    }

    private record Lists(List<Pattern> allow, List<Pattern> deny) {
        static Lists of(SigninConfig.Models m) {
            return new Lists(m.allow().stream().map(Glob::of).toList(),
                    m.deny().stream().map(d -> Glob.of(d.toLowerCase(Locale.ROOT))).toList());
        }

        boolean allows(String requested, String resolved) {
            return (allow.isEmpty() || allow.stream().anyMatch(g -> g.matcher(resolved).matches()))
                    && !denies(requested) && !denies(resolved);
        }

        private boolean denies(String model) {
            if (deny.isEmpty()) {
                return false;
            }
            for (String form : Access.denyForms(model)) {
                for (Pattern d : deny) {
                    if (d.matcher(form).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
