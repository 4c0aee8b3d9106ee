package dev.sluice.respond;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

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

    private LingeringClose() {
    }

    /** On the request's event loop, once its answer has been ended. */
    static void after(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        Context context = Vertx.currentContext();
        if (req.isEnded() || context == null) {
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
}
