package dev.sluice.record;

import dev.sluice.accept.ExtraRoute;
import dev.sluice.authenticate.Callers;
import dev.sluice.authenticate.KeyResolver;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * {@code GET /sluice/v1/requests/{request_id}}: what one of the caller's own requests cost, from the
 * ledger, attempt by attempt. This is where a streaming client reads its cost, since a stream's
 * usage is only final after the response headers have gone. Only the key that made the request
 * can read it; another key gets the same 404 as an unknown id.
 */
public final class CallEndpoint {
    public static final String PREFIX = "/sluice/v1/requests/";

    private CallEndpoint() {
    }

    public static ExtraRoute route(Vertx vertx, KeyResolver keys, Ledger ledger, CallLookup lookup) {
        return new ExtraRoute(PREFIX, req -> handle(vertx, req, keys, ledger, lookup));
    }

    private static void handle(Vertx vertx, HttpServerRequest req, KeyResolver keys, Ledger ledger, CallLookup lookup) {
        Identity who = Callers.identify(keys, req);
        if (who == null) {
            return;
        }
        String id = req.path().substring(PREFIX.length());
        vertx.executeBlocking(() -> {
            // A stream that just ended may still be on its way to the database.
            ledger.awaitFlushed(Duration.ofSeconds(2));
            return lookup.find(id, who.keyId());
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Replies.send(req.response(), ApiError.internal("The ledger could not be read"), "");
            } else if (ar.result() == null) {
                Replies.send(req.response(), ApiError.notFound("No request " + id + " for this key"), "");
            } else {
                req.response().putHeader("content-type", "application/json").end(ar.result().toString());
            }
        });
    }
}
