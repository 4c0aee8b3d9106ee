package dev.sluice.stream;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Relays an upstream event stream to the client as it arrives.
 *
 * <ol>
 *   <li>Each upstream read is cut into whole events; the events of one read go out in one write,
 *       which Vert.x flushes at once. Nothing waits for more input.</li>
 *   <li>If the client's socket cannot take more, the upstream is paused until it drains, so a slow
 *       client never makes the gateway buffer a whole answer. That pause is not upstream silence:
 *       the watchdog ignores it.</li>
 *   <li>A watchdog ticks at most every second: after {@code pingMillis} of upstream silence the
 *       client gets an {@code event: ping}; after {@code idleMillis} the stream is failed.</li>
 *   <li>A broken upstream becomes an {@code event: error} (the status is already 200).</li>
 *   <li>A client that leaves cancels the upstream, or, in drain mode, the upstream is read to its
 *       end without writing so the final usage is known.</li>
 * </ol>
 */
public final class StreamRelay {
    private static final Buffer PING = Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n");

    private final Vertx vertx;
    private final Exchange ex;
    private final Pipeline pipeline;
    private final HttpClientRequest upstreamRequest;
    private final HttpClientResponse upstream;
    private final StreamSettings settings;
    private final HttpServerResponse client;
    private final SseFramer framer = new SseFramer();
    private final Promise<Void> done = Promise.promise();
    private long lastUpstreamNanos = System.nanoTime();
    private long lastClientWriteNanos = lastUpstreamNanos;
    private long watchdog;
    private long heldBackSinceNanos;
    /** A client may stall its reading this long at least, whatever the upstream idle timeout. */
    private static final long MIN_STALL_MILLIS = 60_000;
    /** True while the upstream is paused because the client is not keeping up. */
    private boolean heldBack;

    public StreamRelay(Vertx vertx, Exchange ex, Pipeline pipeline, HttpClientRequest upstreamRequest,
                       HttpClientResponse upstream, StreamSettings settings) {
        this.vertx = vertx;
        this.ex = ex;
        this.pipeline = pipeline;
        this.upstreamRequest = upstreamRequest;
        this.upstream = upstream;
        this.settings = settings;
        this.client = ex.response();
    }

    public Future<Void> start() {
        ex.streaming(true);
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onEnd());
        upstream.exceptionHandler(this::onUpstreamFailure);
        if (client.closed()) {
            clientLeft();
            return done.future();
        }
        ResponseHead.apply(ex, pipeline, upstream);
        client.setChunked(true);
        client.writeHead();
        client.closeHandler(v -> {
            if (!client.ended()) {
                clientLeft();
            }
        });
        long tick = Math.max(50, Math.min(1000, Math.min(settings.pingMillis(), settings.idleMillis()) / 2));
        watchdog = vertx.setPeriodic(tick, id -> onTick());
        return done.future();
    }

    private void onChunk(Buffer chunk) {
        lastUpstreamNanos = System.nanoTime();
        List<SseEvent> events = framer.feed(chunk);
        if (events.isEmpty()) {
            return;
        }
        Buffer out = events.size() == 1 ? Buffer.buffer(events.getFirst().raw()) : Buffer.buffer(chunk.length() + 64);
        for (SseEvent e : events) {
            pipeline.event(ex, e);
            if (events.size() > 1) {
                out.appendBytes(e.raw());
            }
        }
        write(out);
    }

    private void write(Buffer out) {
        if (ex.clientGone() || client.ended()) {
            return;
        }
        lastClientWriteNanos = System.nanoTime();
        client.write(out);
        if (client.writeQueueFull() && !heldBack) {
            heldBack = true;
            heldBackSinceNanos = System.nanoTime();
            upstream.pause();
            client.drainHandler(v -> release());
        }
    }

    /** Resumes a held-back upstream; the silence while it was paused was ours, not the upstream's. */
    private void release() {
        if (heldBack) {
            heldBack = false;
            lastUpstreamNanos = System.nanoTime();
            upstream.resume();
        }
    }

    private void onEnd() {
        byte[] tail = framer.remainder();
        if (tail.length > 0) {
            write(Buffer.buffer(tail));
        }
        finish(null);
    }

    private void onUpstreamFailure(Throwable cause) {
        if (ex.clientGone()) {
            finish(null);
        } else {
            finish(ApiError.badGateway("Upstream connection lost mid-stream"));
        }
    }

    private void onTick() {
        long now = System.nanoTime();
        if (heldBack) {
            // The client is behind: neither upstream silence nor a ping means anything now. But a
            // client that reads nothing for the whole idle timeout is treated as gone, so it cannot
            // hold an upstream stream open until TCP gives up.
            if ((now - heldBackSinceNanos) / 1_000_000 >= Math.max(settings.idleMillis(), MIN_STALL_MILLIS)) {
                client.reset();
                clientLeft();
            }
            return;
        }
        if ((now - lastUpstreamNanos) / 1_000_000 >= settings.idleMillis()) {
            // Finish first: the reset fails the upstream response at once, which would otherwise
            // finish the stream as a lost connection (api_error) instead of a timeout.
            finish(ApiError.gatewayTimeout("Upstream sent nothing for " + settings.idleMillis() + " ms"));
            upstream.pause();
            upstreamRequest.reset();
        } else if ((now - lastClientWriteNanos) / 1_000_000 >= settings.pingMillis()) {
            write(PING.copy());
        }
    }

    private void clientLeft() {
        ex.markClientGone();
        if (settings.drainOnDisconnect()) {
            release();
            upstream.resume();
            return;
        }
        upstreamRequest.reset();
        finish(null);
    }

    private void finish(ApiError error) {
        if (done.future().isComplete()) {
            return;
        }
        vertx.cancelTimer(watchdog);
        if (error != null) {
            done.fail(error);
        } else if (!ex.clientGone() && !client.ended()) {
            client.end().onComplete(ar -> done.tryComplete());
        } else {
            done.complete();
        }
    }
}
