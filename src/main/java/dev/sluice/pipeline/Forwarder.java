package dev.sluice.pipeline;

import io.vertx.core.Future;

/**
 * The end of the request path: sends the exchange upstream and relays the answer. The returned
 * future completes when the client has the whole response, or fails when it cannot get it.
 */
public interface Forwarder {
    Future<Void> forward(Exchange ex, Pipeline pipeline);
}
