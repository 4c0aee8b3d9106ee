package dev.sluice.signin.policy;

import dev.sluice.config.SigninConfig;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which models a developer may use: the global allow- and deny-lists, then those of each of their IdP
 * groups. A model passes when every list that applies allows it (an empty allow-list allows all)
 * and no deny pattern matches: a group can narrow what the organisation allows, never widen it.
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

    /** True when {@code who} may use {@code model}. */
    public boolean allowed(Identity who, String model) {
        if (model == null || !global.allows(model)) {
            return false;
        }
        if (byGroup.isEmpty() || who == null) {
            return true;
        }
        for (String g : groupsOf.apply(who)) {
            Lists l = byGroup.get(g);
            if (l != null && !l.allows(model)) {
                return false;
            }
        }
        return true;
    }

    /** The 400 for a denied model, naming it, as the protocol asks ({@code invalid_request_error}). */
    public static ApiError denied(String model) {
        return new ApiError(400, "invalid_request_error", "model " + model + " is not allowed for your account on this gateway",
                false, null);
    }

    private record Lists(List<Glob> allow, List<Glob> deny) {
        static Lists of(SigninConfig.Models m) {
            return new Lists(m.allow().stream().map(Glob::new).toList(), m.deny().stream().map(Glob::new).toList());
        }

        boolean allows(String model) {
            return (allow.isEmpty() || allow.stream().anyMatch(g -> g.matches(model)))
                    && deny.stream().noneMatch(g -> g.matches(model));
        }
    }
}
