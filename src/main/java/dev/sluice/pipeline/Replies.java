package dev.sluice.pipeline;

import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the gateway answers on its own: error envelopes before a response has started, an
 * {@code event: error} frame after a stream has, and the headers every response carries.
 */
public final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** Turns any failure into the right answer for where the exchange is. */
    public void fail(Exchange ex, Throwable cause) {
        ApiError error = cause instanceof ApiError a ? a : unexpected(ex, cause);
        ex.errorType(error.type());
        HttpServerResponse resp = ex.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        if (resp.headWritten()) {
            // A stream is under way: the status is already 200, so the error goes in-band.
            resp.end(ErrorBody.sseFrame(error.type(), error.getMessage(), ex.requestId()));
            return;
        }
        ex.status(error.status());
        if (!ex.request().isEnded()) {
            // Refused before its body was read: close, so the unread bytes are not taken for a next request.
            closeAfter(ex.request());
        }
        commonHeaders(resp.headers(), ex.requestId(), ex.gatewayMillis());
        resp.headers().addAll(ex.responseHeaders());
        send(resp, error, ex.requestId());
    }

    private static ApiError unexpected(Exchange ex, Throwable cause) {
        LOG.error("request {} failed inside the gateway", ex.requestId(), cause);
        return ApiError.internal("Internal gateway error; request id " + ex.requestId());
    }

    /** Sends an error envelope on a response nothing has been written to. */
    public static void send(HttpServerResponse resp, ApiError error, String requestId) {
        MultiMap h = resp.headers();
        h.set("content-type", "application/json");
        if (error.shouldRetry() != null) {
            h.set("x-should-retry", error.shouldRetry().toString());
        }
        for (Map.Entry<String, String> e : error.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        resp.setStatusCode(error.status());
        resp.end(Buffer.buffer(ErrorBody.json(error.type(), error.getMessage(), requestId)));
    }

    /** Asks for the connection to close after this response (HTTP/1 only; HTTP/2 streams end on their own). */
    public static void closeAfter(io.vertx.core.http.HttpServerRequest req) {
        if (req.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            req.response().headers().set("connection", "close");
        }
    }

    /** The headers on every response: our request id twice (the client SDKs read {@code request-id}) and our added time. */
    public static void commonHeaders(MultiMap h, String requestId, double gatewayMillis) {
        h.set("request-id", requestId);
        h.set("x-sluice-request-id", requestId);
        h.set("x-sluice-latency-ms", String.format(Locale.ROOT, "%.3f", gatewayMillis));
    }
}
