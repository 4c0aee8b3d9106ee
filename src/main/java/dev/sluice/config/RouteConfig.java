package dev.sluice.config;

import java.util.List;

/**
 * A routing rule. Rules are tried in order; the first whose {@code match} glob and {@code when}
 * conditions all hold decides where the request's attempts go.
 *
 * <p>The short form sends everything to one upstream: {@code {match: "claude-*", upstream: anthropic,
 * model: claude-sonnet-4-5}}. The long form names a target list (a fallback chain, or a weighted
 * spread, or both): {@code targets: [{upstream: primary, priority: 1}, {upstream: secondary, priority: 2}]}.
 *
 * @param name     how headers, logs and the status page name the rule (default {@code routes[i]})
 * @param match    a model name or a glob ({@code claude-*-haiku*}, {@code *}), matched against the model
 *                 as requested and as resolved from a catalog alias
 * @param upstream short form: the one target's upstream
 * @param model    short form: model name to send upstream instead of the requested one, or null to keep it
 * @param when     further conditions (caller, size, tools, headers, time, budget), or null for none
 * @param targets  long form: where attempts may go, in fallback order
 * @param retry    this rule's retry limits over {@code routing.retry}, or null
 * @param sticky   keep a conversation on the target and key that served it (default {@code routing.sticky.enabled})
 * @param promptCacheBreakpoints place prompt-cache breakpoints for OpenAI-door requests that mark none (default
 *                 {@code routing.prompt-cache-breakpoints.enabled})
 */
public record RouteConfig(String name, String match, String upstream, String model, RouteWhenConfig when,
                          List<RouteTargetConfig> targets, RetryConfig retry, Boolean sticky, Boolean promptCacheBreakpoints) {
    public RouteConfig {
        match = match == null ? "*" : match;
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** The short form: everything matching {@code match} to one upstream. */
    public RouteConfig(String match, String upstream, String model) {
        this(null, match, upstream, model, null, null, null, null, null);
    }

    static RouteConfig catchAll(String upstream) {
        return new RouteConfig("*", upstream, null);
    }

    /** The targets of either form: {@code targets}, or the one the short form names. */
    public List<RouteTargetConfig> effectiveTargets() {
        if (!targets.isEmpty() || upstream == null) {
            return targets;
        }
        return List.of(new RouteTargetConfig(upstream, model, null, null, null, null));
    }
}
