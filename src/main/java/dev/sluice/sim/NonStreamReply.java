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

    private NonStreamReply() {
    }

    static void send(SimExchange exchange, String messageId, String model, ReplyPlan plan, CacheUsage cache,
                     SimDirectives directives) {
        byte[] body = SimJson.bytes(MessageJson.message(messageId, model, plan, cache));
        double tps = directives.tokensPerSecond();
        long delay = directives.ttftMillis() + (tps > 0 ? Math.round(plan.outputTokens() * 1000.0 / tps) : 0);
        if (delay > 0) {
            exchange.vertx().setTimer(delay, id -> write(exchange, messageId, model, plan, cache, directives, body));
        } else {
            write(exchange, messageId, model, plan, cache, directives, body);
        }
    }

    private static void write(SimExchange exchange, String messageId, String model, ReplyPlan plan,
                              CacheUsage cache, SimDirectives directives, byte[] body) {
        HttpServerResponse response = exchange.response();
        if (response.closed()) {
            exchange.bill(messageId, model, false, 200, BilledUsage.Outcome.CANCELLED, cache, plan.outputTokens());
            return;
        }
        if (directives.fault().cutAfterEvents() >= 0) {
            exchange.bill(messageId, model, false, 200, BilledUsage.Outcome.CUT, cache, plan.outputTokens());
            exchange.putApiHeaders("application/json");
            response.putHeader("content-length", Integer.toString(body.length)).setStatusCode(200);
            response.write(Buffer.buffer(body).slice(0, body.length / 2))
                    .onComplete(ar -> exchange.request().connection().close());
            return;
        }
        exchange.bill(messageId, model, false, 200, BilledUsage.Outcome.COMPLETED, cache, plan.outputTokens());
        exchange.putApiHeaders("application/json");
        response.setStatusCode(200).end(Buffer.buffer(body));
    }
}
