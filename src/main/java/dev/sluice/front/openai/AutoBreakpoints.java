package dev.sluice.front.openai;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Part;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.RoutingConfig;
import dev.sluice.config.SluiceConfig;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The automatic prompt-cache breakpoint policy, compiled from {@code routing.prompt-cache-breakpoints} and each
 * route's {@code prompt-cache-breakpoints} (which wins, as a route's {@code sticky} does); reloaded with the rest of
 * the configuration.
 *
 * <pre>
 * routing:
 *   prompt-cache-breakpoints: {enabled: true, ttl: 5m, user-turns: 2}   # the defaults
 * routes:
 *   - {match: "claude-*", upstream: anthropic, prompt-cache-breakpoints: false}
 * </pre>
 */
public final class AutoBreakpoints {
    public static final Part<AutoBreakpoints> PART = Part.of("routing.prompt-cache-breakpoints", AutoBreakpoints::compile);

    private final boolean enabled;
    private final Map<String, Boolean> byRoute;
    private final byte[] marker;
    private final int userTurns;

    private AutoBreakpoints(boolean enabled, Map<String, Boolean> byRoute, String ttl, int userTurns) {
        this.enabled = enabled;
        this.byRoute = Map.copyOf(byRoute);
        this.marker = (",\"cache_control\":{\"type\":\"ephemeral\"" + (ttl.equals("1h") ? ",\"ttl\":\"1h\"" : "") + "}")
                .getBytes(StandardCharsets.US_ASCII);
        this.userTurns = userTurns;
    }

    static AutoBreakpoints compile(SluiceConfig config) {
        RoutingConfig.PromptCacheBreakpoints p = config.routing().promptCacheBreakpoints();
        if (!p.ttl().equals("5m") && !p.ttl().equals("1h")) {
            throw new ConfigException("routing.prompt-cache-breakpoints.ttl: '" + p.ttl() + "' (expected: 5m or 1h)");
        }
        if (p.userTurns() < 0 || p.userTurns() > 2) {
            throw new ConfigException("routing.prompt-cache-breakpoints.user-turns: " + p.userTurns() + " (expected: 0, 1 or 2)");
        }
        Map<String, Boolean> byRoute = new HashMap<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig r = config.routes().get(i);
            if (r.promptCacheBreakpoints() != null) {
                // The name the route stage gives the rule (AttemptPlan.routeName): its own, else its place in the file.
                byRoute.put(r.name() != null ? r.name() : "routes[" + i + "]", r.promptCacheBreakpoints());
            }
        }
        return new AutoBreakpoints(p.enabled(), byRoute, p.ttl(), p.userTurns());
    }

    /** Whether requests the named route rule matched get automatic breakpoints. */
    boolean enabledFor(String route) {
        Boolean own = route == null ? null : byRoute.get(route);
        return own != null ? own : enabled;
    }

    /** The member inserted before a block's closing brace. */
    byte[] marker() {
        return marker;
    }

    int userTurns() {
        return userTurns;
    }
}
