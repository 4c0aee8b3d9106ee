package dev.sluice.route;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Sets the exchange's {@link Target}. A model rename splices the new name over the old one's bytes
 * (offsets from the body inspection), so every other byte of the body reaches the upstream as sent.
 */
public final class RouteStage implements Stage {
    private final Router router;

    public RouteStage(Router router) {
        this.router = router;
    }

    @Override
    public String name() {
        return "route";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        RequestFacts facts = ex.facts();
        Target target = router.route(facts.model());
        if (target == null) {
            throw ApiError.notFound("model: no route for '" + facts.model() + "' on this gateway");
        }
        ex.target(target);
        if (facts.model() != null && !facts.model().equals(target.servedModel())) {
            ex.upstreamBody(rewriteModel(ex.body(), facts, target.servedModel()));
        }
        return CONTINUE;
    }

    static Buffer rewriteModel(Buffer body, RequestFacts facts, String model) {
        byte[] quoted = ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"").getBytes(StandardCharsets.UTF_8);
        int start = (int) facts.modelStart();
        int end = (int) facts.modelEnd();
        Buffer out = Buffer.buffer(body.length() - (end - start) + quoted.length);
        out.appendBuffer(body, 0, start).appendBytes(quoted).appendBuffer(body, end, body.length() - end);
        return out;
    }
}
