package dev.sluice.pipeline;

import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;

/**
 * One step of the request pipeline. Every hook has a do-nothing default, so a stage implements
 * only what it is about.
 *
 * <ol>
 *   <li>{@link #onRequest} runs in pipeline order before anything is forwarded. Fail the future
 *       (usually with an {@link dev.sluice.wire.ApiError}) to stop the request, or answer it
 *       yourself with {@link Exchange#answer(Response)} (a cache hit); either way the stages after
 *       you are not entered.</li>
 *   <li>{@link #onAttempt} runs in order before each upstream attempt is sent;
 *       {@link #onAttemptEnd} runs in reverse order exactly once when that attempt is over (failed,
 *       retried, answered, cut), before its answer's last byte reaches the client.</li>
 *   <li>{@link #onResponse} runs in reverse order before the client's response head is written,
 *       whatever the answer's source; it may add headers or replace a whole body.</li>
 *   <li>{@link #onEvent} runs in order for each canonical event of a streamed answer; it may return
 *       the event unchanged (the bytes then pass through exactly), a replacement, or null to drop it.</li>
 *   <li>{@link #onComplete} runs in reverse order once the exchange is over, whatever happened, for
 *       every stage whose {@code onRequest} ran — so a stage that stops or answers the request still
 *       lets the stages before it finish their bookkeeping.</li>
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

    default void onAttempt(Exchange ex, Attempt attempt) {
    }

    default void onAttemptEnd(Exchange ex, Attempt attempt) {
    }

    default void onResponse(Exchange ex) {
    }

    default SseEvent onEvent(Exchange ex, SseEvent event) {
        return event;
    }

    default void onComplete(Exchange ex) {
    }
}
