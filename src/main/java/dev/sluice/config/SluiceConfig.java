package dev.sluice.config;

import dev.sluice.budget.rules.BudgetsConfig;
import java.util.List;

/**
 * The whole configuration. Each section is a record with its own defaults; {@link #defaults()} is
 * what Sluice runs with when no file is given.
 */
public record SluiceConfig(
        ServerConfig server,
        AuthConfig auth,
        List<UpstreamConfig> upstreams,
        List<RouteConfig> routes,
        TimeoutConfig timeouts,
        StreamingConfig streaming,
        StoreConfig store,
        MeteringConfig metering,
        TelemetryConfig telemetry,
        AdminConfig admin,
        SigninConfig signin,
        RoutingConfig routing,
        BudgetsConfig budgets,
        CacheConfig cache,
        GuardConfig guard,
        ResponsesConfig responses) {

    public SluiceConfig {
        server = server == null ? ServerConfig.defaults() : server;
        auth = auth == null ? AuthConfig.defaults() : auth;
        upstreams = upstreams == null || upstreams.isEmpty() ? List.of(UpstreamConfig.anthropicDefault()) : List.copyOf(upstreams);
        routes = routes == null || routes.isEmpty() ? List.of(RouteConfig.catchAll(upstreams.getFirst().name())) : List.copyOf(routes);
        timeouts = timeouts == null ? TimeoutConfig.defaults() : timeouts;
        streaming = streaming == null ? StreamingConfig.defaults() : streaming;
        store = store == null ? StoreConfig.defaults() : store;
        metering = metering == null ? MeteringConfig.defaults() : metering;
        telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
        admin = admin == null ? AdminConfig.defaults() : admin;
        signin = signin == null ? SigninConfig.defaults() : signin;
        routing = routing == null ? RoutingConfig.defaults() : routing;
        budgets = budgets == null ? BudgetsConfig.defaults() : budgets;
        cache = cache == null ? CacheConfig.off() : cache;
        guard = guard == null ? GuardConfig.defaults() : guard;
        responses = responses == null ? ResponsesConfig.defaults() : responses;
    }

    public static SluiceConfig defaults() {
        return new SluiceConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The upstream with this name, or null. */
    public UpstreamConfig upstream(String name) {
        for (UpstreamConfig u : upstreams) {
            if (u.name().equals(name)) {
                return u;
            }
        }
        return null;
    }
}
