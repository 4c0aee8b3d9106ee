package dev.sluice.batches;

import dev.sluice.inspect.InspectStage;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a batch's body under the gateway's body limit and body timeout (the Messages door's, {@code server.body-limit}):
 * a declared length over the limit is refused before a byte is read, a body that grows past it as soon as it does.
 * Anthropic takes batches up to 256 MB; through the gateway, the body limit is the bound.
 */
final class BodyRead {
    private BodyRead() {
    }

    static Future<Buffer> of(HttpServerRequest req, InspectStage.Limits limits) {
        String header = req.getHeader("content-length");
        long declared = header != null && !header.isEmpty() && header.length() < 19 && header.chars().allMatch(Character::isDigit)
                ? Long.parseLong(header) : -1;
        if (declared > limits.bodyBytes()) {
            return Future.failedFuture(tooLarge(limits));
        }
        Promise<Buffer> read = Promise.promise();
        // Sized by the declared length, so a body near the limit is not grown by doubling (twice its size, and a copy).
        Buffer body = declared > 0 ? Buffer.buffer((int) declared) : Buffer.buffer();
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.currentContext().owner();
        long timer = limits.timeoutMillis() <= 0 ? -1 : vertx.setTimer(limits.timeoutMillis(), id -> read.tryFail(
                        new ApiError(408, "timeout_error", "the batch's body did not arrive within " + limits.timeoutMillis() + " ms",
                                false, null)));
        req.handler(chunk -> {
            if (body.length() + chunk.length() > limits.bodyBytes()) {
                read.tryFail(tooLarge(limits));
            } else if (!read.future().isComplete()) {
                body.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(read::tryFail);
        req.endHandler(v -> read.tryComplete(body));
        return read.future().onComplete(ar -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        });
    }

    private static ApiError tooLarge(InspectStage.Limits limits) {
        return new ApiError(413, "request_too_large", "The batch is over the gateway's body limit of " + limits.bodyBytes()
                + " bytes (server.body-limit): split it into smaller batches", false, null);
    }
}
