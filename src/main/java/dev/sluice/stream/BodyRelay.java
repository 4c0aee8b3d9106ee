package dev.sluice.stream;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.UpstreamErrors;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a whole (non-streaming) upstream reply: read it fully, let the response hooks see it
 * (usage, cost headers), then send it with its status. Upstream errors arrive here too and are
 * relayed as they are.
 */
public final class BodyRelay {
    private static final Logger LOG = LoggerFactory.getLogger(BodyRelay.class);
    private final Vertx vertx;
    private final Exchange ex;
    private final Pipeline pipeline;
    private final HttpClientResponse upstream;
    private final StreamSettings settings;

    public BodyRelay(Vertx vertx, Exchange ex, Pipeline pipeline, HttpClientResponse upstream, StreamSettings settings) {
        this.vertx = vertx;
        this.ex = ex;
        this.pipeline = pipeline;
        this.upstream = upstream;
        this.settings = settings;
    }

    public Future<Void> start() {
        Promise<Void> done = Promise.promise();
        boolean[] timedOut = {false};
        long timer = vertx.setTimer(settings.idleMillis(), id -> {
            timedOut[0] = true;
            upstream.request().reset();
        });
        upstream.body().onComplete(ar -> {
            try {
                relay(ar, timer, timedOut[0], done);
            } catch (RuntimeException e) {
                done.tryFail(e);
            }
        });
        return done.future();
    }

    /** A 401 about a key the gateway chose, not one the caller passed through in open mode. */
    private boolean refusedOurCredential() {
        return upstream.statusCode() == 401 && ex.upstreamKeyAlias() != null && !"caller".equals(ex.upstreamKeyAlias());
    }

    private void relay(AsyncResult<Buffer> ar, long timer, boolean timedOut, Promise<Void> done) {
        vertx.cancelTimer(timer);
        if (ar.failed()) {
            done.fail(timedOut
                    ? ApiError.gatewayTimeout("Upstream sent no complete response within " + settings.idleMillis() + " ms")
                    : ApiError.badGateway("Upstream connection lost while sending the response"));
            return;
        }
        ex.markUpstreamAnswered();
        ex.responseBody(ar.result());
        if (upstream.statusCode() >= 400) {
            ex.errorType(UpstreamErrors.type(ar.result()));
        }
        if (ex.response().closed()) {
            ex.markClientGone();
            done.complete();
            return;
        }
        if (refusedOurCredential()) {
            // Relayed as is, Claude Code would tell the developer their own key is invalid.
            LOG.error("upstream '{}' refused the gateway's credential '{}' with HTTP {} (request {})",
                    ex.target().upstream(), ex.upstreamKeyAlias(), upstream.statusCode(), ex.requestId());
            done.fail(new ApiError(502, "api_error", "The gateway's own credential for its upstream was refused (HTTP "
                    + upstream.statusCode() + "); this is not about your key. Tell your platform team, quoting request id "
                    + ex.requestId() + ".", false, null));
            return;
        }
        ResponseHead.apply(ex, pipeline, upstream);
        ex.response().end(ar.result()).onComplete(w -> done.tryComplete());
    }
}
