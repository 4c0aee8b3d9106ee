package dev.sluice.respond;

import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Responder;
import dev.sluice.pipeline.Response;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of every exchange, whatever fed it: a live attempt, a cache replay, a stage's own
 * reply. A whole body goes out after the response hooks in one write; a stream is handed to a
 * {@link StreamWriter}. Errors the gateway answers itself use the client protocol's envelope before
 * the head, and its in-band error event after.
 */
public final class ClientResponder implements Responder {
    private static final Logger LOG = LoggerFactory.getLogger(ClientResponder.class);

    /** The writer of an exchange's stream while it runs, so a graceful stop can end it cleanly ({@link #cut}). */
    static final Exchange.Key<StreamWriter> WRITER = new Exchange.Key<>("stream-writer", StreamWriter.class);

    /** A client may stall its reading this long at least, whatever the upstream idle timeout (as a stream's may). */
    static final long MIN_STALL_MILLIS = 60_000;

    private final Vertx vertx;
    private final long minStallMillis;

    public ClientResponder(Vertx vertx) {
        this(vertx, MIN_STALL_MILLIS);
    }

    /** With a shorter floor for the time a client may leave a whole answer unread (tests). */
    ClientResponder(Vertx vertx, long minStallMillis) {
        this.vertx = vertx;
        this.minStallMillis = minStallMillis;
    }

    @Override
    public Future<Void> respond(Exchange ex, Pipeline pipeline, Response response) {
        return switch (response) {
            case Response.Whole whole -> whole(ex, pipeline, whole);
            case Response.Stream stream -> new StreamWriter(vertx, ex, pipeline, stream,
                    ex.snapshot().get(StreamSettings.PART)).start();
        };
    }

    private Future<Void> whole(Exchange ex, Pipeline pipeline, Response.Whole r) {
        ex.streaming(false);
        ex.status(r.status());
        ex.responseBody(r.body());
        HttpServerResponse resp = ex.response();
        if (resp.closed()) {
            ex.markClientGone();
            return Future.succeededFuture();
        }
        pipeline.response(ex);
        ClientEncoder encoder = ex.protocol().encoder(ex);
        Buffer body = encoder.body(r.status(), ex.responseBody());
        Promise<Void> done = Promise.promise();
        try {
            Heads.apply(ex, r, encoder.contentType(false));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Future<Void> written = resp.end(body);
        long stall = written.isComplete() ? -1 : unreadAfter(ex, resp, done);
        written.onComplete(ar -> {
            if (stall >= 0) {
                vertx.cancelTimer(stall);
            }
            if (ar.failed()) {
                ex.markClientGone();
            }
            done.tryComplete();
        });
        return done.future();
    }

    /**
     * A whole answer the client does not take: an HTTP/2 client that grants no flow-control window leaves it queued,
     * and its exchange (the answer's memory, a request slot) open, for as long as the connection lives; a hundred
     * streams a connection of large answers, or of free cache hits, filled the heap (attack round 14). As for a
     * stream ({@link StreamWriter}): a client that reads nothing for the idle timeout (at least a minute) is gone, and
     * its stream is reset (on HTTP/1, its connection closed). Armed only when the answer did not leave at once.
     */
    private long unreadAfter(Exchange ex, HttpServerResponse resp, Promise<Void> done) {
        long millis = Math.max(ex.snapshot().get(StreamSettings.PART).idleMillis(), minStallMillis);
        return vertx.setTimer(millis, id -> {
            if (!done.future().isComplete()) {
                ex.markClientGone();
                resp.reset();
                done.tryComplete();
            }
        });
    }

    /**
     * Ends the exchange's stream now, as a broken one ends: {@code error} as the in-band error event, the source
     * cancelled, the attempt recorded with the usage reported so far (flagged where estimated). Call it on the
     * exchange's event loop. False when the exchange has no stream under way (not answered yet, or a whole body).
     */
    public static boolean cut(Exchange ex, ApiError error) {
        StreamWriter writer = ex.get(WRITER);
        if (writer == null) {
            return false;
        }
        writer.cut(error);
        return true;
    }

    @Override
    public void fail(Exchange ex, Throwable cause) {
        ApiError error = cause instanceof ApiError a ? a : unexpected(ex, cause);
        ex.errorType(error.type());
        HttpServerResponse resp = ex.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        ClientProtocol protocol = ex.protocol();
        if (resp.headWritten()) {
            // A stream is under way: the status is already 200, so the error goes in-band.
            resp.end(protocol.errorEvent(error, ex.requestId()));
            return;
        }
        ex.status(error.status());
        resp.headers().clear();
        try {
            resp.headers().addAll(ex.responseHeaders());
        } catch (IllegalArgumentException e) {
            resp.headers().clear();
        }
        if (!ex.request().isEnded()) {
            // Refused before its body was read: close, so the unread bytes are not taken for a next request. After
            // the headers are reset, which used to drop the connection: close it set (attack round 14).
            Replies.closeAfter(ex.request());
        }
        ex.markHeadersWritten();
        Replies.send(resp, protocol, error, ex.requestId(), ex.gatewayMillis());
    }

    private static ApiError unexpected(Exchange ex, Throwable cause) {
        LOG.error("request {} failed inside the gateway", ex.requestId(), cause);
        return ApiError.internal("Internal gateway error; request id " + ex.requestId());
    }
}
