package dev.sluice.pipeline;

import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;

/**
 * One step of the request pipeline. Every hook has a do-nothing default, so a stage implements
 * only what it is about.
 *
 * <ol>
 *   <li>{@link #onRequest} runs in pipeline order before the request is forwarded. Fail the future
 *       (usually with an {@link dev.sluice.wire.ApiError}) to stop the request, or answer it
 *       yourself and call {@link Exchange#markAnswered()} (a cache hit).</li>
 *   <li>{@link #onResponse} runs in reverse order when the upstream's status and headers (and, for a
 *       non-streaming reply, the body) are in, before anything is written to the client; it may add
 *       response headers.</li>
 *   <li>{@link #onEvent} runs in order for each server-sent event of a streaming reply.</li>
 *   <li>{@link #onComplete} runs in reverse order once the exchange is over, whatever happened, for
 *       every stage whose {@code onRequest} ran.</li>
 * </ol>
 * Hooks run on the request's event loop: they must not block.
 */
public interface Stage {
    Future<Void> CONTINUE = Future.succeededFuture();

    /** A short name for logs and trace spans. */
    String name();

    default Future<Void> onRequest(Exchange ex) {
        return CONTINUE;
    }

    default void onResponse(Exchange ex) {
    }

    default void onEvent(Exchange ex, SseEvent event) {
    }

    default void onComplete(Exchange ex) {
    }
}
