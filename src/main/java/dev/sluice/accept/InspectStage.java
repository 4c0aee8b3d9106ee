package dev.sluice.accept;

import dev.sluice.pipeline.Endpoint;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import io.vertx.core.Future;

/**
 * Inspection as a stage: one streaming pass over the body ({@link BodyInspector}) fills the
 * exchange's {@link dev.sluice.pipeline.RequestFacts}; a malformed body stops here with a 400. It
 * runs after authentication, as Anthropic's API does, so an unauthenticated caller learns nothing
 * about its body, and inside the pipeline so a rejected request is still traced, counted and audited.
 */
public final class InspectStage implements Stage {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.endpoint() != Endpoint.MODELS) {
            ex.facts(BodyInspector.inspect(ex.endpoint(), ex.body().getBytes()));
        }
        return CONTINUE;
    }
}
