package dev.sluice.respond;

import dev.sluice.pipeline.EventSink;
import dev.sluice.pipeline.EventSource;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Response;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Writes a streamed answer to the client as it arrives, from any {@link EventSource}.
 *
 * <ol>
 *   <li>Each batch the source delivers (one upstream read) goes through the event hooks and the
 *       client's encoder and out in one write, which Vert.x flushes at once. Nothing waits for more.</li>
 *   <li>If the client's socket cannot take more, the source is paused until it drains, so a slow
 *       client never makes the gateway buffer a whole answer. That pause is not upstream silence:
 *       the watchdog ignores it.</li>
 *   <li>For a live source a watchdog ticks at most every second: after {@code pingMillis} of
 *       silence the client gets a ping; after {@code idleMillis} without progress the stream is failed.
 *       Keep-alives (an upstream's {@code ping}, a relay's SSE comment) are relayed but are not progress:
 *       an upstream, or a proxy in front of a wedged one, that sends nothing else would otherwise hold the
 *       client, the attempt and the connection for as long as it liked. After {@code totalMillis} from its
 *       start the stream is failed however steadily its events come: an upstream that never ends its
 *       answer holds nothing for good either.</li>
 *   <li>A source that breaks becomes an in-band error event (the status is already 200).</li>
 *   <li>A client that leaves cancels the source, or, in drain mode, the source is read to its end
 *       without writing, so the final usage is known and billed.</li>
 *   <li>What the source delivers while it starts (a live source's first events, held while the attempt
 *       loop decided; a replayed answer, whole) leaves in one write with the response head, and with
 *       the end of the response when it is all there is: one socket write where there were three.</li>
 * </ol>
 */
final class StreamWriter implements EventSink {
    /** A client may stall its reading this long at least, whatever the upstream idle timeout. */
    private static final long MIN_STALL_MILLIS = 60_000;
    private static final List<SseEvent> PING = List.of(SseEvent.of("ping", "{\"type\": \"ping\"}"));

    private final Vertx vertx;
    private final Exchange ex;
    private final Pipeline pipeline;
    private final Response.Stream response;
    private final EventSource source;
    private final StreamSettings settings;
    private final HttpServerResponse client;
    private final ClientEncoder encoder;
    private final Promise<Void> done = Promise.promise();
    private final long startNanos = System.nanoTime();
    private long lastSourceNanos = startNanos;
    private long lastClientWriteNanos = lastSourceNanos;
    private long heldBackSinceNanos;
    private long watchdog = -1;
    /** True while the source is paused because the client is not keeping up. */
    private boolean heldBack;
    /** True while the source starts: writes gather in {@link #gathered} and an end waits for them. */
    private boolean starting;
    private Buffer gathered;
    private boolean endAfterStart;
    private ApiError errorAfterStart;

    StreamWriter(Vertx vertx, Exchange ex, Pipeline pipeline, Response.Stream response, StreamSettings settings) {
        this.vertx = vertx;
        this.ex = ex;
        this.pipeline = pipeline;
        this.response = response;
        this.source = response.source();
        this.settings = settings;
        this.client = ex.response();
        this.encoder = ex.protocol().encoder(ex);
    }

    Future<Void> start() {
        ex.put(ClientResponder.WRITER, this);
        ex.streaming(true);
        ex.status(response.status());
        if (client.closed()) {
            clientLeft();
            source.start(this);
            return done.future();
        }
        pipeline.response(ex);
        try {
            Heads.apply(ex, response, encoder.contentType(true));
        } catch (RuntimeException e) {
            source.cancel();
            return Future.failedFuture(e);
        }
        client.setChunked(true);
        client.closeHandler(v -> {
            if (!client.ended()) {
                clientLeft();
            }
        });
        if (source.live()) {
            long shortest = Math.min(settings.totalMillis(), Math.min(settings.pingMillis(), settings.idleMillis()));
            long tick = Math.max(50, Math.min(1000, shortest / 2));
            watchdog = vertx.setPeriodic(tick, id -> onTick());
        }
        starting = true;
        try {
            source.start(this);
        } finally {
            starting = false;
        }
        writeStarted();
        return done.future();
    }

    /** Sends what gathered while the source started, with the head, and with the end if it came too. */
    private void writeStarted() {
        Buffer out = gathered;
        gathered = null;
        if (endAfterStart) {
            finish(errorAfterStart, out);
        } else if (out != null) {
            write(out);
        } else if (!client.headWritten() && !client.ended() && !client.closed()) {
            client.writeHead();
        }
    }

    @Override
    public void events(List<SseEvent> batch) {
        if (progress(batch)) {
            lastSourceNanos = System.nanoTime();
        }
        if (done.future().isComplete() || endAfterStart) {
            return;
        }
        List<SseEvent> out = pipeline.events(ex, batch);
        if (!out.isEmpty()) {
            write(encoder.events(out));
        }
    }

    /** True if the batch holds an event that is part of the answer, not only keep-alives. */
    private static boolean progress(List<SseEvent> batch) {
        for (SseEvent e : batch) {
            if (!e.keepAlive()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void end() {
        finish(null, null);
    }

    @Override
    public void fail(ApiError error) {
        finish(ex.clientGone() ? null : error, null);
    }

    private void write(Buffer out) {
        if (ex.clientGone() || client.ended() || out.length() == 0) {
            return;
        }
        if (starting) {
            gathered = gathered == null ? out : gathered.appendBuffer(out);
            return;
        }
        lastClientWriteNanos = System.nanoTime();
        client.write(out);
        if (client.writeQueueFull() && !heldBack) {
            heldBack = true;
            heldBackSinceNanos = System.nanoTime();
            source.pause();
            client.drainHandler(v -> release());
        }
    }

    /** Resumes a held-back source; the silence while it was paused was ours, not the upstream's. */
    private void release() {
        if (heldBack) {
            heldBack = false;
            lastSourceNanos = System.nanoTime();
            source.resume();
        }
    }

    private void onTick() {
        long now = System.nanoTime();
        if ((now - startNanos) / 1_000_000 >= settings.totalMillis()) {
            // Ends as a broken stream does: the in-band error, then the cancel records the attempt with the usage so far.
            finish(ApiError.gatewayTimeout("Upstream's answer was still streaming after " + settings.totalMillis()
                    + " ms, the gateway's limit for one stream (timeouts.stream-total)"), null);
            source.cancel();
            return;
        }
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
        if ((now - lastSourceNanos) / 1_000_000 >= settings.idleMillis()) {
            finish(ApiError.gatewayTimeout("Upstream sent no part of the answer for " + settings.idleMillis()
                    + " ms (keep-alives do not count)"), null);
            source.cancel();
        } else if ((now - lastClientWriteNanos) / 1_000_000 >= settings.pingMillis()) {
            write(encoder.keepAlive(PING));
        }
    }

    /** A graceful stop's grace is over: the stream ends as a broken one does (see {@link ClientResponder#cut}). */
    void cut(ApiError error) {
        if (done.future().isComplete()) {
            return;
        }
        finish(error, null);
        source.cancel();
    }

    private void clientLeft() {
        ex.markClientGone();
        if (settings.drainOnDisconnect()) {
            release();
            source.resume();
            return;
        }
        source.cancel();
        finish(null, null);
    }

    /** Ends the response, after {@code last} (events not yet written) when there are any. */
    private void finish(ApiError error, Buffer last) {
        if (done.future().isComplete()) {
            return;
        }
        if (starting) {
            endAfterStart = true;
            errorAfterStart = error;
            return;
        }
        if (watchdog >= 0) {
            vertx.cancelTimer(watchdog);
        }
        boolean open = !ex.clientGone() && !client.ended() && !client.closed();
        if (error != null) {
            ex.errorType(error.type());
        }
        if (!open) {
            done.tryComplete();
            return;
        }
        Buffer out = last == null ? Buffer.buffer() : last;
        if (error != null) {
            Buffer own = encoder.errorEvent(error);
            out.appendBuffer(own != null ? own : ex.protocol().errorEvent(error, ex.requestId()));
        }
        client.end(out).onComplete(ar -> done.tryComplete());
    }
}
