package dev.sluice.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Sends a complete message as one JSON body, after the time the whole generation would take
 * ({@code ttft + output / tps}). A {@code cut:N} fault sends the headers and half the body, then drops
 * the connection. Either way the full output is billed: a non-streamed message is generated before
 * its first byte leaves.
 */
final class NonStreamReply {

    private final SimExchange exchange;
    private final String messageId;
    private final String model;
    private final ReplyPlan plan;
    private final CacheUsage cache;
    private final SimDirectives directives;
    private final SimWire wire;

    NonStreamReply(SimExchange exchange, String messageId, String model, ReplyPlan plan, CacheUsage cache,
                   SimDirectives directives) {
        this(exchange, messageId, model, plan, cache, directives, SimWire.ANTHROPIC);
    }

    /** An answer in another provider's wire format. */
    NonStreamReply(SimExchange exchange, String messageId, String model, ReplyPlan plan, CacheUsage cache,
                   SimDirectives directives, SimWire wire) {
        this.wire = wire;
        this.exchange = exchange;
        this.messageId = messageId;
        this.model = model;
        this.plan = plan;
        this.cache = cache;
        this.directives = directives;
    }

    void send() {
        byte[] body = wire.body(MessageJson.withUsage(MessageJson.message(messageId, model, plan, cache), directives.usage()));
        double tps = directives.tokensPerSecond();
        long delay = directives.ttftMillis() + (tps > 0 ? Math.round(plan.outputTokens() * 1000.0 / tps) : 0);
        if (delay > 0) {
            exchange.vertx().setTimer(delay, id -> write(body));
        } else {
            write(body);
        }
    }

    private void write(byte[] body) {
        HttpServerResponse response = exchange.response();
        if (response.closed()) {
            bill(BilledUsage.Outcome.CANCELLED);
            return;
        }
        wire.successHeaders(exchange, false);
        response.setStatusCode(200);
        if (directives.fault().cutAfterEvents() >= 0) {
            bill(BilledUsage.Outcome.CUT);
            response.putHeader("content-length", Integer.toString(body.length));
            response.write(Buffer.buffer(body).slice(0, body.length / 2))
                    .onComplete(ar -> exchange.request().connection().close());
            return;
        }
        bill(BilledUsage.Outcome.COMPLETED);
        response.end(Buffer.buffer(body));
    }

    private void bill(BilledUsage.Outcome outcome) {
        exchange.bill(messageId, model, false, 200, outcome, cache, plan.outputTokens());
    }
}
