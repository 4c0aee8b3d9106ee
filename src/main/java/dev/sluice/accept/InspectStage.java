package dev.sluice.accept;

import dev.sluice.config.ServerConfig;
import dev.sluice.pipeline.Endpoint;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Inspection as a stage: reads the body (under the size cap and the body timeout) and makes one
 * streaming pass over it ({@link BodyInspector}) to fill the exchange's
 * {@link dev.sluice.pipeline.RequestFacts}; a malformed body stops here with a 400. It runs after
 * authentication, as Anthropic's API does, so an unknown caller is refused before a byte of a
 * 32 MB body is read, and inside the pipeline so a rejected request is still traced, counted and audited.
 */
public final class InspectStage implements Stage {
    private final long bodyLimit;
    private final long bodyTimeoutMillis;

    public InspectStage(ServerConfig server) {
        this.bodyLimit = server.bodyLimit().bytes();
        this.bodyTimeoutMillis = server.bodyTimeout().toMillis();
    }

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        if (ex.endpoint() == Endpoint.MODELS) {
            return CONTINUE;
        }
        return BodyCollector.collect(Vertx.currentContext().owner(), ex.request(), bodyLimit, bodyTimeoutMillis)
                .map(body -> {
                    ex.body(body);
                    ex.facts(BodyInspector.inspect(ex.endpoint(), body.getBytes()));
                    return null;
                });
    }
}
