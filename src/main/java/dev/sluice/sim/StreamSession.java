package dev.sluice.sim;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes one SSE reply, paced by {@link StreamPacing}, on the request's event loop.
 *
 * <p>How it runs: {@link #pump()} appends every event already due to one batch and writes it, then
 * either arms a timer for the next due event or, if the socket's write queue is full, waits for drain.
 * It stops at the end, at a {@code cut:N} (drop the connection), at an {@code error-event:N} (send the
 * error, end normally), or when the client goes away. Output tokens are counted as events are handed to
 * the socket, so a cut or cancelled stream bills exactly what was written.
 */
final class StreamSession {

    private enum Ending { COMPLETE, CUT, ERROR_EVENT }

    private final SimExchange exchange;
    private final HttpServerResponse response;
    private final String messageId;
    private final String model;
    private final CacheUsage cache;
    private final List<SseEvent> events;
    private final long[] dueMillis;
    private final long eventGapMillis;
    private final int limit;
    private final Ending ending;
    private final SimWire wire;

    private int next;
    private int outputWritten;
    private long startNanos;
    private long lastEventMillis;
    private long timerId = -1;
    private boolean finished;

    StreamSession(SimExchange exchange, String messageId, String model, ReplyPlan plan, CacheUsage cache,
                  SimDirectives directives) {
        this(exchange, messageId, model, plan, cache, directives, SimWire.ANTHROPIC);
    }

    /** A stream in another provider's wire format (the plan, pacing and billing are the same). */
    StreamSession(SimExchange exchange, String messageId, String model, ReplyPlan plan, CacheUsage cache,
                  SimDirectives directives, SimWire wire) {
        this.wire = wire;
        this.exchange = exchange;
        this.response = exchange.response();
        this.messageId = messageId;
        this.model = model;
        this.cache = cache;
        this.events = SseEvents.of(messageId, model, plan, cache, directives.usage());
        this.dueMillis = StreamPacing.dueMillis(events, directives);
        this.eventGapMillis = directives.eventGapMillis();
        int cut = directives.fault().cutAfterEvents();
        int error = directives.fault().errorAfterEvents();
        if (cut >= 0 && (error < 0 || cut <= error)) {
            ending = Ending.CUT;
            limit = Math.min(cut, events.size());
        } else if (error >= 0) {
            ending = Ending.ERROR_EVENT;
            limit = Math.min(error, events.size());
        } else {
            ending = Ending.COMPLETE;
            limit = events.size();
        }
    }

    void start() {
        if (response.closed()) {
            finish(BilledUsage.Outcome.CANCELLED);
            return;
        }
        wire.successHeaders(exchange, true);
        response.putHeader("cache-control", "no-cache").setStatusCode(200).setChunked(true);
        response.closeHandler(v -> clientGone());
        response.exceptionHandler(e -> clientGone());
        startNanos = System.nanoTime();
        pump();
    }

    private void pump() {
        timerId = -1;
        if (finished) {
            return;
        }
        Buffer batch = Buffer.buffer();
        while (next < limit) {
            long now = elapsedMillis();
            long wait = waitBefore(next, now);
            if (wait > 0) {
                write(batch);
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> pump());
                } else {
                    timerId = exchange.vertx().setTimer(wait, id -> pump());
                }
                return;
            }
            SseEvent event = events.get(next++);
            batch.appendBuffer(wire.frame(event));
            outputWritten += event.outputTokens();
            lastEventMillis = now;
        }
        end(batch);
    }

    /**
     * Milliseconds until event {@code index} is due. A fixed gap counts from the previous event's actual
     * write, so a late timer never squeezes the next gap; paced output uses absolute due times instead.
     */
    private long waitBefore(int index, long now) {
        if (eventGapMillis >= 0) {
            return index == 0 ? 0 : lastEventMillis + eventGapMillis - now;
        }
        return dueMillis[index] - now;
    }

    private void end(Buffer batch) {
        switch (ending) {
            case COMPLETE -> {
                finish(BilledUsage.Outcome.COMPLETED);
                response.end(batch);
            }
            case ERROR_EVENT -> {
                finish(BilledUsage.Outcome.ERROR_EVENT);
                batch.appendBuffer(wire.errorEvent(exchange.requestId()));
                response.end(batch);
            }
            case CUT -> {
                finish(BilledUsage.Outcome.CUT);
                Future<Void> written = batch.length() == 0
                        ? (response.headWritten() ? Future.succeededFuture() : response.writeHead())
                        : response.write(batch);
                written.onComplete(ar -> exchange.request().connection().close());
            }
        }
    }

    private void write(Buffer batch) {
        if (batch.length() > 0) {
            response.write(batch);
        }
    }

    private void clientGone() {
        if (!finished) {
            if (timerId >= 0) {
                exchange.vertx().cancelTimer(timerId);
            }
            finish(BilledUsage.Outcome.CANCELLED);
        }
    }

    private void finish(BilledUsage.Outcome outcome) {
        finished = true;
        exchange.bill(messageId, model, true, 200, outcome, cache, outputWritten);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
