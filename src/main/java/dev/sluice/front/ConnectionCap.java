package dev.sluice.front;

import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import io.netty.util.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the client connections one listener holds ({@code server.max-connections}). Every connection costs a file
 * descriptor, and the process shares its descriptors with what the gateway itself opens: upstream connections, the
 * ledger, the journal, the audit log. Without a bound, 20,000 idle connections from one client (nobody needs a key
 * to open a socket) used every descriptor for a minute at a time: the gateway could accept nothing and open no upstream
 * connection (attack round 15).
 *
 * <p>At the bound a new connection first takes the place of the oldest idle one on its event loop
 * ({@link IdleConnections}), so sockets nobody uses cannot shut clients out. When every connection has a request on
 * it, a connection past the bound is still accepted, so its client learns why: its first request is answered with a
 * retryable 503 {@code overloaded_error} in its door's envelope and the connection closed; it gets a second to send
 * that request. Those answers have a bound of their own (an eighth of the cap, at least 64); beyond it a connection is
 * closed as it is accepted, as a proxy with no slot left would.
 *
 * <p>One per listener, shared by its event loops; the operator's listener ({@code admin.listen}) has its own, so
 * the operator still gets in while the API's listener is full.
 */
public final class ConnectionCap {
    /** What a new connection gets. */
    enum Admission { ADMITTED, ANSWER_AND_CLOSE, CLOSE }

    /** The answer on a connection past the bound. */
    static final ApiError REFUSAL = new ApiError(503, "overloaded_error",
            "The gateway holds as many connections as it is configured to (server.max-connections); retry shortly",
            true, Map.of("retry-after", "1"));

    /** How long a connection past the bound has to send the request its refusal answers. */
    static final long REFUSED_WAIT_MILLIS = 1000;

    /** Set on a connection accepted past the bound. */
    static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("sluice-over-capacity");

    private final AtomicInteger open = new AtomicInteger();

    /** Counts the connection in; {@link #closed} must follow when it closes, whatever the admission. */
    Admission admit(int max) {
        int n = open.incrementAndGet();
        if (n <= max) {
            return Admission.ADMITTED;
        }
        return n <= max + Math.max(64, max / 8) ? Admission.ANSWER_AND_CLOSE : Admission.CLOSE;
    }

    void closed() {
        open.decrementAndGet();
    }

    /** Connections counted now. */
    int open() {
        return open.get();
    }
    /** Whether the request came on a connection accepted past the bound. */
    static boolean refused(HttpServerRequest req) {
        return req.connection() instanceof ConnectionBase base && base.channel().hasAttr(REFUSED);
    }

    /** Closes the refused request's connection once its answer has left: HTTP/1 says so, HTTP/2 sends a GOAWAY. */
    static void closeAfter(HttpServerRequest req) {
        if (req.version() != HttpVersion.HTTP_2) {
            Replies.closeAfter(req);
            return;
        }
        // The end handler runs before the answer's frames are written; close on the next turn, once they have gone.
        Context context = Vertx.currentContext();
        req.response().endHandler(v -> context.runOnContext(x -> req.connection().close()));
    }
}
