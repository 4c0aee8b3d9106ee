package dev.sluice.pipeline;

import io.vertx.core.Future;

/**
 * The client side of an exchange: writes a {@link Response} (head, then a body or a stream of
 * events) through the response and event hooks, or the gateway's own error envelope.
 */
public interface Responder {
    /** Writes the response; the future completes when the client has it all, or is gone. */
    Future<Void> respond(Exchange ex, Pipeline pipeline, Response response);

    /** Answers with an error: an envelope before the head was written, an in-band error event after. */
    void fail(Exchange ex, Throwable cause);
}
