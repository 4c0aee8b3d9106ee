package dev.sluice.pipeline;

import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot timeout on the exchange's own event loop, for the few every request sets and nearly always cancels
 * (the body's, the upstream's first byte, the answer's body). Vert.x's {@code setTimer} registers each timer in a
 * map shared by every event loop under an id from a shared counter, and a deployment's close hooks; here a timer is
 * only the event loop's own scheduled task, cancelled the same way. When it fires, the action runs on the context
 * as a Vert.x timer's handler does (dispatched on it, so what it completes sees its context), and never after
 * {@link #cancel}.
 */
public final class LoopTimer {
    private final ScheduledFuture<?> task;
    private volatile boolean cancelled;

    private LoopTimer(ContextInternal context, long millis, Runnable action) {
        task = context.nettyEventLoop().schedule(() -> context.emit(null, v -> {
            if (!cancelled) {
                action.run();
            }
        }), millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} on {@code context} after {@code millis} unless cancelled first; an event-loop context's thread only. */
    public static LoopTimer start(Context context, long millis, Runnable action) {
        return new LoopTimer((ContextInternal) context, millis, action);
    }

    /** The action will not run (if it has not yet). On the context's thread. */
    public void cancel() {
        cancelled = true;
        task.cancel(false);
    }
}
