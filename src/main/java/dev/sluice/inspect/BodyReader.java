package dev.sluice.inspect;

import dev.sluice.pipeline.LoopTimer;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a paused request's body into one array once the caller is known. The array grows with what
 * arrives, never with what the client declares; past the cap (declared or counted) the body is
 * refused at once with a 413, so an oversized upload never sits in memory; a client that sends too
 * slowly gets a 408. A refused connection is closed after the answer, because the rest of its body
 * would otherwise have to be read and thrown away. A client that asks {@code Expect: 100-continue}
 * is told to go on only once the declared size fits. Bytes held count against the shared
 * {@link BodyBudget} until the exchange ends.
 */
final class BodyReader {
    /** First allocation without a declared length. */
    private static final int FIRST_BYTES = 64 * 1024;
    /**
     * The most a declared length may make us allocate before bytes arrive: a client that declares 32 MB
     * and sends one byte costs 128 KB, not 32 MB; larger bodies grow as they arrive.
     */
    private static final int MAX_FIRST_BYTES = 128 * 1024;

    private final HttpServerRequest req;
    private final long limit;
    private final BodyBudget budget;
    private final Context context;
    private final Promise<RequestBody> result = Promise.promise();
    private final long declared;
    private byte[] bytes;
    private int length;
    private boolean pausedForBudget;

    private BodyReader(HttpServerRequest req, long limit, BodyBudget budget, Context context, long declared) {
        this.req = req;
        this.limit = limit;
        this.budget = budget;
        this.context = context;
        this.declared = declared;
    }

    /**
     * The body; on success its array's length (what it holds, see {@link #hold}) is held in the budget until released
     * by the caller.
     */
    static Future<RequestBody> read(Context context, HttpServerRequest req, long limit, long timeoutMillis, BodyBudget budget) {
        String encoding = req.getHeader("content-encoding");
        if (encoding != null && !decodable(encoding)) {
            Replies.closeAfter(req);
            return Future.failedFuture(new ApiError(415, "invalid_request_error", "Unsupported content-encoding '"
                    + Replies.bounded(encoding) + "' (expected: gzip, deflate or none)", false, null));
        }
        String expect = req.getHeader("expect");
        if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
            // RFC 9110: an expectation the server cannot meet is a 417, not a wait for a body the client holds back.
            Replies.closeAfter(req);
            return Future.failedFuture(new ApiError(417, "invalid_request_error", "Expect: '" + Replies.bounded(expect)
                    + "' is not supported (expected: 100-continue or no Expect header)", false, null));
        }
        long declared = declaredLength(req);
        if (declared > limit) {
            Replies.closeAfter(req);
            return Future.failedFuture(ApiError.tooLarge(limit));
        }
        if (expectsContinue(req)) {
            // The client waits for this before sending the body (curl gives up after a second).
            Replies.writeContinue(req);
        }
        BodyReader r = new BodyReader(req, limit, budget, context, declared);
        LoopTimer timer = LoopTimer.start(context, timeoutMillis, () -> r.fail(new ApiError(408, "timeout_error",
                "The request body was not received within " + timeoutMillis + " ms")));
        req.handler(r::chunk);
        req.endHandler(v -> r.ended());
        req.exceptionHandler(e -> r.fail(ApiError.invalidRequest("The request body was not completely received")));
        req.resume();
        return r.result.future().andThen(ar -> timer.cancel());
    }

    private void ended() {
        // A body already refused (too large, too slow) has let go of its bytes: the end of it changes nothing.
        if (!result.future().isComplete()) {
            result.complete(RequestBody.wrap(bytes == null ? new byte[0] : bytes, length));
        }
    }

    private void chunk(Buffer chunk) {
        if (result.future().isComplete()) {
            return;
        }
        int n = chunk.length();
        if (length + (long) n > limit) {
            fail(ApiError.tooLarge(limit));
            return;
        }
        if (bytes == null && n == declared && adopt(chunk)) {
            hold(n);
            return;
        }
        int before = bytes == null ? 0 : bytes.length;
        if (bytes == null) {
            bytes = new byte[initialSize()];
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) bytes.length * 2, length + (long) n)));
        }
        chunk.getBytes(0, n, bytes, length);
        length += n;
        if (bytes.length > before) {
            hold(bytes.length - before);
        }
    }

    /**
     * The whole body arrived in one read, in a heap buffer of exactly its size that the HTTP layer
     * copied for us alone: keep that array instead of copying it again (the common case on a local or
     * fast network for Claude Code's tens-of-kilobytes requests).
     */
    private boolean adopt(Buffer chunk) {
        if (!(chunk instanceof BufferInternal internal)) {
            return false;
        }
        ByteBuf bb = internal.getByteBuf();
        if (!bb.hasArray() || bb.arrayOffset() != 0 || bb.readerIndex() != 0 || bb.array().length != chunk.length()) {
            return false;
        }
        bytes = bb.array();
        length = chunk.length();
        return true;
    }

    private int initialSize() {
        return (int) Math.min(declared >= 0 ? Math.max(declared, 16) : FIRST_BYTES, Math.min(limit, MAX_FIRST_BYTES));
    }

    /**
     * Counts what the body's array grew by, not the bytes that arrived: the array doubles as it grows, so a body holds
     * up to twice its length, and counting only its length let bodies at the budget's line hold twice the budget (with
     * the heap's rounding of large arrays, a quarter-heap budget filled the heap: attack round 14).
     */
    private void hold(int n) {
        if (!budget.take(n) && !pausedForBudget) {
            pausedForBudget = true;
            req.pause();
            budget.whenFree(() -> context.runOnContext(v -> {
                pausedForBudget = false;
                if (!result.future().isComplete()) {
                    req.resume();
                }
            }));
        }
    }

    private void fail(ApiError error) {
        if (result.tryFail(error)) {
            budget.release(bytes == null ? 0 : bytes.length);
            bytes = null;
            Replies.closeAfter(req);
        }
    }

    private static boolean decodable(String encoding) {
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        return e.isEmpty() || e.equals("identity") || e.equals("gzip") || e.equals("x-gzip") || e.equals("deflate");
    }

    private static boolean expectsContinue(HttpServerRequest req) {
        String expect = req.getHeader("expect");
        return expect != null && expect.trim().equalsIgnoreCase("100-continue") && req.version() != HttpVersion.HTTP_1_0;
    }

    private static long declaredLength(HttpServerRequest req) {
        String header = req.getHeader("content-length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
