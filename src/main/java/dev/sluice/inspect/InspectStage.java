package dev.sluice.inspect;

import dev.sluice.config.Part;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Reads the body (under the size cap, the body timeout and the shared {@link BodyBudget}) and has
 * the client protocol inspect it where it sits, in one pass, filling the exchange's canonical body
 * and {@link dev.sluice.pipeline.RequestFacts}; a malformed body stops here with a 400. It runs
 * after authentication, as Anthropic's API does, so an unknown caller is refused before a byte of a
 * 32 MB body is read, and inside the pipeline so a rejected request is still traced, counted and audited.
 */
public final class InspectStage implements Stage {
    /** Body limits of the live configuration: cap and timeout. */
    public static final Part<Limits> LIMITS = Part.of("body limits",
            c -> new Limits(c.server().bodyLimit().bytes(), c.server().bodyTimeout().toMillis()));

    private final BodyBudget budget;

    public InspectStage(BodyBudget budget) {
        this.budget = budget;
    }

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        try {
            ex.protocol().admit(ex);
        } catch (ApiError refused) {
            return Future.failedFuture(refused);
        }
        if (!ex.operation().hasBody()) {
            return CONTINUE;
        }
        Limits limits = ex.snapshot().get(LIMITS);
        return BodyReader.read(Vertx.currentContext(), ex.request(), limits.bodyBytes(), limits.timeoutMillis(), budget)
                .map(body -> {
                    ex.body(body, body);
                    ClientProtocol.Inspected in = ex.protocol().inspect(ex, body);
                    ex.body(body, in.canonical());
                    ex.facts(in.facts());
                    return null;
                });
    }

    @Override
    public void onComplete(Exchange ex) {
        RequestBody body = ex.originalBody();
        if (body != null) {
            budget.release(body.array().length); // what BodyReader held: the array, not only the body's length
        }
    }

    /** @param bodyBytes largest accepted body; @param timeoutMillis longest a client may take to send it */
    public record Limits(long bodyBytes, long timeoutMillis) {
    }
}
