package dev.sluice.upstream;

import dev.sluice.pipeline.LoopTimer;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a whole upstream body with two bounds: its size (a runaway upstream cannot fill the heap)
 * and time (a body that takes longer than the idle timeout after its head becomes a 504, not a
 * hung client; a non-streamed answer's head comes when the answer is done, so its body is quick).
 */
final class BoundedBody {
    private BoundedBody() {
    }

    static Future<Buffer> read(Vertx vertx, HttpClientResponse resp, long maxBytes, long idleMillis) {
        Promise<Buffer> result = Promise.promise();
        Buffer body = Buffer.buffer(initial(resp));
        LoopTimer watchdog = LoopTimer.start(vertx.getOrCreateContext(), idleMillis, () -> {
            if (result.tryFail(ApiError.gatewayTimeout("Upstream sent no complete response within " + idleMillis + " ms"))) {
                resp.request().reset();
            }
        });
        resp.handler(chunk -> {
            if (body.length() + (long) chunk.length() > maxBytes) {
                if (result.tryFail(ApiError.badGateway("Upstream response is larger than " + maxBytes + " bytes"))) {
                    resp.request().reset();
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        resp.endHandler(v -> result.tryComplete(body));
        resp.exceptionHandler(e -> result.tryFail(new Cut(body.length(), e)));
        return result.future().andThen(ar -> watchdog.cancel());
    }

    /** The connection broke mid-body, after {@code received} bytes of it (what a cut answer's estimate counts). */
    static final class Cut extends RuntimeException {
        private final long received;

        Cut(long received, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.received = received;
        }

        long received() {
            return received;
        }
    }

    /** The declared length as a sizing hint, never trusted beyond a modest first allocation. */
    private static int initial(HttpClientResponse resp) {
        String length = resp.getHeader("content-length");
        if (length != null) {
            try {
                return (int) Math.min(Math.max(Long.parseLong(length.trim()), 256), 256 * 1024);
            } catch (NumberFormatException e) {
                return 4096;
            }
        }
        return 4096;
    }
}
