package dev.sluice.respond;

import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;
import java.util.Map;

/**
 * How the gateway answers on its own: an error in the client protocol's envelope with our request
 * id, and the headers every response carries.
 */
public final class Replies {
    private Replies() {
    }

    /** Sends an error envelope on a response nothing has been written to. */
    public static void send(HttpServerResponse resp, ClientProtocol protocol, ApiError gateways, String requestId, double gatewayMillis) {
        ApiError error = protocol.inOwnTerms(gateways);
        MultiMap h = resp.headers();
        commonHeaders(h, requestId, gatewayMillis);
        h.set(protocol.requestIdHeader(), requestId);
        h.set("content-type", protocol.errorContentType());
        if (error.shouldRetry() != null) {
            h.set("x-should-retry", error.shouldRetry().toString());
        }
        for (Map.Entry<String, String> e : error.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        resp.setStatusCode(error.status());
        resp.end(protocol.errorBody(error, requestId));
    }

    /**
     * Sends an error in Anthropic's envelope with a new request id, for the gateway's own endpoints
     * (usage, request lookup, metrics, admin) that are not a client protocol's calls.
     */
    public static void send(HttpServerResponse resp, ApiError error) {
        String id = RequestIds.next();
        MultiMap h = resp.headers();
        commonHeaders(h, id, 0);
        h.set("content-type", "application/json");
        if (error.shouldRetry() != null) {
            h.set("x-should-retry", error.shouldRetry().toString());
        }
        for (Map.Entry<String, String> e : error.headers().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        resp.setStatusCode(error.status());
        resp.end(ErrorBody.json(error.type(), error.getMessage(), id));
    }

    /**
     * For an answer sent before the request's body was read (a refusal): the rest of that body is never read.
     * HTTP/1 says {@code connection: close} and closes once the answer has been written and the rest of the body read
     * and dropped ({@link LingeringClose}; Vert.x keeps a kept-alive connection open whatever the response's header
     * says, so a client that reused it waited behind the unread body until the idle timeout). HTTP/2 resets the stream with {@code NO_ERROR} after the answer when the client has
     * not finished sending (RFC 9113, section 8.1): the client stops, and the bytes its windows let it send, queued
     * for a reader that will never come, are let go of instead of being held as long as the connection lives.
     * Replaces the response's end handler; call it before the answer is ended.
     */
    public static void closeAfter(HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return; // answered already (a body refused after the gateway stopped the exchange): nothing left to ask
        }
        if (req.version() == HttpVersion.HTTP_2) {
            // The end handler runs as the answer is ended, before its frames are written: a reset then would discard
            // them. Reset on the next turn of the event loop, once they have gone out.
            Context context = Vertx.currentContext();
            resp.endHandler(v -> context.runOnContext(x -> {
                if (!req.isEnded()) {
                    resp.reset(0);
                }
            }));
            return;
        }
        resp.headers().set("connection", "close");
        LingeringClose.mark(req);
        resp.endHandler(v -> LingeringClose.after(req));
    }

    /**
     * Tells a client that asked {@code Expect: 100-continue} to send its body. A refusal after this lingers to read
     * the body it is sending; a refusal before it closes at once, since the client holds its body back.
     */
    public static void writeContinue(HttpServerRequest req) {
        LingeringClose.writeContinue(req);
    }

    /**
     * Whether {@code req} came on an HTTP/1 connection already told {@code connection: close} ({@link #closeAfter}):
     * a request pipelined behind that answer, which must not be served (the front closes the connection instead).
     */
    public static boolean closing(HttpServerRequest req) {
        return LingeringClose.closing(req);
    }

    /** The headers on every response: our request id twice (the client SDKs read {@code request-id}) and our added time. */
    public static void commonHeaders(MultiMap h, String requestId, double gatewayMillis) {
        h.set("request-id", requestId);
        h.set("x-sluice-request-id", requestId);
        h.set("x-sluice-latency-ms", millis(gatewayMillis));
    }

    /**
     * Milliseconds with three decimals, as {@code String.format("%.3f")} writes them, without a {@code Formatter} (on
     * every answer it cost more than the rest of the head). Callers pass whole nanoseconds divided by a million, so
     * the nanoseconds are recovered exactly and rounded half up to microseconds, as the format rounds the decimal.
     */
    static String millis(double ms) {
        if (!(ms >= 0 && ms < 9e9)) {
            return String.format(Locale.ROOT, "%.3f", ms); // negative, huge or NaN: never from a clock, kept exact anyway
        }
        long micros = (Math.round(ms * 1e6) + 500) / 1000;
        long whole = micros / 1000;
        int frac = (int) (micros % 1000);
        return whole + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    /** A caller-supplied text quoted in an error message, cut so an error can never be large. */
    public static String bounded(String s) {
        return Bounded.text(s, 200);
    }
}
