package dev.sluice.cache.stage;

import dev.sluice.pipeline.EventSink;
import dev.sluice.pipeline.EventSource;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Objects;

/**
 * A cached answer's events, delivered to the responder like a live stream's: in batches, stopping when the
 * client's socket is full ({@link #pause()}) and going on when it drains. A long answer is handed over a
 * few batches per turn of the event loop, so one replay never holds the loop for the whole answer.
 */
final class ReplaySource implements EventSource {
    /** Events per write: one write per batch, as for one upstream read. */
    static final int BATCH = 64;
    /** Batches per turn of the event loop before yielding to other work. */
    private static final int BATCHES_PER_TURN = 8;

    private final List<SseEvent> events;
    private EventSink sink;
    private Context context;
    private int next;
    private boolean paused;
    private boolean cancelled;
    private boolean scheduled;
    private boolean ended;

    ReplaySource(List<SseEvent> events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void start(EventSink sink) {
        this.sink = sink;
        this.context = Vertx.currentContext();
        pump();
    }

    private void pump() {
        scheduled = false;
        int batches = 0;
        while (!paused && !cancelled && next < events.size()) {
            if (batches++ == BATCHES_PER_TURN && context != null) {
                schedule();
                return;
            }
            int end = Math.min(next + BATCH, events.size());
            List<SseEvent> batch = events.subList(next, end);
            next = end;
            sink.events(batch);
        }
        if (!paused && !cancelled && next >= events.size() && !ended) {
            ended = true;
            sink.end();
        }
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            context.runOnContext(v -> pump());
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        if (!paused || sink == null) {
            paused = false;
            return;
        }
        paused = false;
        if (context != null) {
            schedule();
        } else {
            pump();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean live() {
        return false;
    }
}
