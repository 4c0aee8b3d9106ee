package dev.sluice.respond;

import io.netty.util.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes an HTTP/1 connection whose answer went out before its request's body was read: a refusal (a wrong key, a
 * header limit, a body the gateway will not take). Closing a socket that still holds unread bytes makes the kernel
 * send a reset instead of a FIN, and a reset that reaches the client while it is still sending its body loses the
 * answer: the client sees "connection reset" (or "no bytes") instead of its 401 and its reason, and an SDK retries a
 * call that can only fail again. Measured: a 2 MB body with a wrong key lost its 401 in 5 of 20 curl calls; the JDK
 * client lost one with a 60 KB body in the full test suite. So, like nginx's lingering close, the rest of the body
 * is read and dropped before the close, for at most {@link #MAX_MILLIS} and {@link #MAX_BYTES}: a client that sends
 * more, or never finishes, is cut off as before.
 */
final class LingeringClose {
    /** Longest a refused client's body is read for; nginx's {@code lingering_timeout} is 5 s. */
    static final long MAX_MILLIS = 2_000;
    /** Most bytes read and dropped; a larger body than this is cut off (and may still see a reset). */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    /** Set on a connection whose answer said {@code connection: close}: nothing more is served on it. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("sluice-closing");
    /** The request on a connection that was told {@code 100 Continue}: its client is sending its body. */
    private static final AttributeKey<HttpServerRequest> CONTINUED = AttributeKey.valueOf("sluice-continued");

    private LingeringClose() {
    }

    /**
     * Marks the request's connection as closing. A request the client pipelined behind this one is already on its way
     * and the HTTP layer hands it over before the close: it was forwarded, and billed, with its answer never written
     * (found with a wrong key followed by a right one on one connection). RFC 9112 (9.6): a server that sends
     * {@code close} does not process further requests on that connection; the client sends them again on another.
     */
    static void mark(HttpServerRequest req) {
        if (req.connection() instanceof ConnectionBase base) {
            base.channel().attr(CLOSING).set(Boolean.TRUE);
        }
    }

    /** Tells the client to send its body, and remembers it was told (see {@link #after}). */
    static void writeContinue(HttpServerRequest req) {
        if (req.connection() instanceof ConnectionBase base) {
            base.channel().attr(CONTINUED).set(req);
        }
        req.response().writeContinue();
    }

    static boolean closing(HttpServerRequest req) {
        return req.connection() instanceof ConnectionBase base && base.channel().hasAttr(CLOSING);
    }

    /** On the request's event loop, once its answer has been ended. */
    static void after(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        Context context = Vertx.currentContext();
        if (req.isEnded() || context == null || heldBack(req)) {
            conn.close();
            return;
        }
        long timer = context.owner().setTimer(MAX_MILLIS, t -> conn.close());
        long[] read = {0};
        try {
            req.exceptionHandler(e -> conn.close());
            req.endHandler(v -> {
                context.owner().cancelTimer(timer);
                conn.close();
            });
            req.handler(chunk -> {
                read[0] += chunk.length();
                if (read[0] > MAX_BYTES) {
                    conn.close();
                }
            });
            req.resume();
        } catch (IllegalStateException ended) { // the body ended meanwhile: nothing is left unread
            context.owner().cancelTimer(timer);
            conn.close();
        }
    }

    /**
     * Whether the client holds its body back for a {@code 100 Continue} it was never sent: it sends nothing more, so
     * there is nothing to read before the close, and waiting would only keep a connection the client cannot reuse.
     */
    private static boolean heldBack(HttpServerRequest req) {
        String expect = req.getHeader("expect");
        return expect != null && expect.trim().equalsIgnoreCase("100-continue")
                && !(req.connection() instanceof ConnectionBase base && base.channel().attr(CONTINUED).get() == req);
    }
}
