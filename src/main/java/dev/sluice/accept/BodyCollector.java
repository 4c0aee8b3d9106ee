package dev.sluice.accept;

import dev.sluice.pipeline.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a paused request's body into one buffer once the caller is known, refusing it as soon as
 * it passes the cap (declared or counted), so an oversized upload never sits in memory, and
 * giving up on a client that sends too slowly. A refused connection is closed after the answer,
 * because the rest of its body would otherwise have to be read and thrown away. A client that asks
 * {@code Expect: 100-continue} is told to go on only once the declared size fits.
 */
final class BodyCollector {
    private final HttpServerRequest req;
    private final long limit;
    private final Promise<Buffer> result = Promise.promise();
    private Buffer body;

    private BodyCollector(HttpServerRequest req, long limit, int expected) {
        this.req = req;
        this.limit = limit;
        this.body = Buffer.buffer(Math.max(expected, 256));
    }

    static Future<Buffer> collect(Vertx vertx, HttpServerRequest req, long limit, long timeoutMillis) {
        long declared = declaredLength(req);
        if (declared > limit) {
            Replies.closeAfter(req);
            return Future.failedFuture(ApiError.tooLarge(limit));
        }
        if (expectsContinue(req)) {
            // The client waits for this before sending the body (curl gives up after a second).
            req.response().writeContinue();
        }
        BodyCollector c = new BodyCollector(req, limit, (int) Math.max(declared, 0));
        long timer = vertx.setTimer(timeoutMillis, id -> c.fail(new ApiError(408, "timeout_error",
                "The request body was not received within " + timeoutMillis + " ms")));
        req.handler(c::chunk);
        req.endHandler(v -> c.result.tryComplete(c.body));
        req.exceptionHandler(e -> c.fail(ApiError.invalidRequest("The request body was not completely received")));
        req.resume();
        return c.result.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    private void chunk(Buffer chunk) {
        if (result.future().isComplete()) {
            return;
        }
        if (body.length() + (long) chunk.length() > limit) {
            fail(ApiError.tooLarge(limit));
            return;
        }
        body.appendBuffer(chunk);
    }

    private void fail(ApiError error) {
        body = null;
        Replies.closeAfter(req);
        result.tryFail(error);
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
