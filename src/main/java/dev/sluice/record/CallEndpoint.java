package dev.sluice.record;

import dev.sluice.authenticate.Callers;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.Identity;
import dev.sluice.respond.Replies;
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

    public static ExtraRoute route(Vertx vertx, LiveConfig live, Callers callers, Ledger ledger, CallLookup lookup) {
        return new ExtraRoute(PREFIX, req -> handle(vertx, req, live, callers, ledger, lookup));
    }

    private static void handle(Vertx vertx, HttpServerRequest req, LiveConfig live, Callers callers, Ledger ledger,
                               CallLookup lookup) {
        Identity who;
        try {
            who = callers.identify(live.current(), req.headers());
        } catch (ApiError e) {
            Replies.send(req.response(), e);
            return;
        }
        String id = req.path().substring(PREFIX.length());
        if (id.isEmpty() || id.length() > 64) {
            Replies.send(req.response(), ApiError.notFound("No request '" + Replies.bounded(id) + "' for this key"));
            return;
        }
        vertx.executeBlocking(() -> {
            // A stream that just ended may still be on its way to the database.
            ledger.awaitFlushed(Duration.ofSeconds(2));
            return lookup.find(id, who.keyId());
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                Replies.send(req.response(), ApiError.internal("The ledger could not be read"));
            } else if (ar.result() == null) {
                // The ledger holds upstream attempts: a request refused before any (budget, rate limit, guard, bad
                // input) has none, and its reason went out in its own answer and to the audit log. Say so, so a
                // developer looking up a 429 is not left thinking the id is wrong.
                Replies.send(req.response(), ApiError.notFound("No request " + Replies.bounded(id) + " for this key"
                        + " (a request refused before it reached an upstream, by a budget, a rate limit, the guard or an upstream"
                        + " that does not serve the call,"
                        + " has no cost record: its answer said why, and the audit log keeps it)"));
            } else {
                req.response().putHeader("content-type", "application/json").end(ar.result().toString());
            }
        });
    }
}
