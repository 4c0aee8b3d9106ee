package dev.sluice.pipeline;

import io.vertx.core.Future;

/**
 * The end of the request path: makes the exchange's upstream attempts and has the responder write
 * the answer. The returned future completes when the client has the whole response (or is gone),
 * or fails when the request cannot be answered at all.
 */
public interface Forwarder {
    Future<Void> forward(Exchange ex, Pipeline pipeline);
}
