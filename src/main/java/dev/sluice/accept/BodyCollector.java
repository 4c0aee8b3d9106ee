package dev.sluice.accept;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body into one buffer, refusing it as soon as it passes the cap (declared or
 * counted), so an oversized upload never sits in memory. A refused connection is closed after
 * the answer, because the rest of its body would otherwise have to be read and thrown away. A
 * client that asks {@code Expect: 100-continue} is told to go on only once the declared size fits.
 */
final class BodyCollector {
    private final HttpServerRequest req;
    private final long limit;
    private final Handler<Buffer> onBody;
    private final Handler<Void> onTooLarge;
    private Buffer body;
    private boolean refused;

    private BodyCollector(HttpServerRequest req, long limit, Handler<Buffer> onBody, Handler<Void> onTooLarge, int expected) {
        this.req = req;
        this.limit = limit;
        this.onBody = onBody;
        this.onTooLarge = onTooLarge;
        this.body = Buffer.buffer(Math.max(expected, 256));
    }

    static void collect(HttpServerRequest req, long limit, Handler<Buffer> onBody, Handler<Void> onTooLarge) {
        long declared = declaredLength(req);
        if (declared > limit) {
            req.response().putHeader("connection", "close");
            onTooLarge.handle(null);
            return;
        }
        if (expectsContinue(req)) {
            // The client waits for this before sending the body (curl gives up after a second).
            req.response().writeContinue();
        }
        BodyCollector c = new BodyCollector(req, limit, onBody, onTooLarge, (int) Math.max(declared, 0));
        req.handler(c::chunk);
        req.endHandler(v -> {
            if (!c.refused) {
                onBody.handle(c.body);
            }
        });
        req.exceptionHandler(e -> c.refused = true);
    }

    private void chunk(Buffer chunk) {
        if (refused) {
            return;
        }
        if (body.length() + (long) chunk.length() > limit) {
            refused = true;
            body = null;
            req.response().putHeader("connection", "close");
            onTooLarge.handle(null);
            return;
        }
        body.appendBuffer(chunk);
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
