package dev.sluice.route;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;

/**
 * Decides where the request's attempts go: the first rule of the exchange's configuration whose
 * model glob matches picks the target, and a {@link RetryPlan} says what happens when an attempt
 * fails. The model name the target serves is written into each attempt's body by the provider.
 */
public final class RouteStage implements Stage {
    @Override
    public String name() {
        return "route";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        Target target = ex.snapshot().get(Router.PART).route(ex.facts().model());
        if (target == null) {
            throw ApiError.notFound("model: no route for '" + ex.facts().model() + "' on this gateway");
        }
        ex.plan(new RetryPlan(target));
        return CONTINUE;
    }
}
