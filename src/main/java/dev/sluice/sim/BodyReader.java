package dev.sluice.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body into memory, refusing more than a size cap (the real API's 32 MB). */
final class BodyReader {

    static final long MAX_BODY_BYTES = 32L * 1024 * 1024;

    /** Failure meaning the body exceeds the cap. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(long bytes) {
            super("request body is at least " + bytes + " bytes (limit: " + MAX_BODY_BYTES + ")", null, false, false);
        }
    }

    private BodyReader() {
    }

    static Future<Buffer> read(HttpServerRequest request) {
        String declared = request.getHeader("content-length");
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.strip());
                if (length > MAX_BODY_BYTES) {
                    return Future.failedFuture(new TooLarge(length));
                }
            } catch (NumberFormatException e) {
                // Netty rejects malformed lengths before we get here; read and let the cap decide
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                promise.tryFail(new TooLarge(body.length() + (long) chunk.length()));
                request.pause();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }
}
