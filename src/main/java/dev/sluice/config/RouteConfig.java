package dev.sluice.config;

/**
 * A routing rule: requests whose model matches {@code match} go to {@code upstream}, optionally
 * with the model renamed to {@code model}. The first matching rule wins.
 *
 * @param match    a model name or a glob ({@code claude-*-haiku*}, {@code *})
 * @param upstream name of an entry in {@code upstreams}
 * @param model    model name to send upstream instead of the requested one, or null to keep it
 */
public record RouteConfig(String match, String upstream, String model) {
    public RouteConfig {
        match = match == null ? "*" : match;
    }

    static RouteConfig catchAll(String upstream) {
        return new RouteConfig("*", upstream, null);
    }
}
