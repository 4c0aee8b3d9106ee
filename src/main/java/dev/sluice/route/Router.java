package dev.sluice.route;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Part;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.pipeline.Target;
import java.util.List;

/** The routing rules of one configuration snapshot, compiled once. */
public final class Router {
    public static final Part<Router> PART = Part.of("routes", Router::new);

    private final List<Rule> rules;

    public Router(SluiceConfig config) {
        this.rules = config.routes().stream().map(r -> {
            UpstreamConfig up = config.upstream(r.upstream());
            if (up == null) {
                throw new ConfigException("routes: upstream '" + r.upstream() + "' is not defined");
            }
            return new Rule(new ModelGlob(r.match()), r, up);
        }).toList();
    }

    /** The target for a requested model; requests without a model (model listing) take the first rule. */
    public Target route(String model) {
        for (Rule rule : rules) {
            if (model == null || rule.glob.matches(model)) {
                String served = rule.config.model() == null ? model : rule.config.model();
                return new Target(rule.upstream.name(), rule.upstream.provider(), served);
            }
        }
        return null;
    }

    private record Rule(ModelGlob glob, RouteConfig config, UpstreamConfig upstream) {
    }
}
