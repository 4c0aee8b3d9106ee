package dev.sluice.signin.telemetry;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operator collector. Relays to it are bounded twice: at most {@code maxInFlight} at once (more
 * are dropped, never queued: telemetry is worth less than the memory a backlog would hold), and not
 * at all while its {@link Breaker} is open, so a dead collector costs one refused check per export
 * instead of a connection attempt and a timeout. Each relay has a deadline, after which it is reset.
 */
final class Destination {
    private static final Logger LOG = LoggerFactory.getLogger(Destination.class);

    private final String base;
    private final Map<String, String> headers;
    private final int maxInFlight;
    private final long timeoutMillis;
    private final Breaker breaker;
    private final AtomicInteger inFlight = new AtomicInteger();

    Destination(String base, Map<String, String> headers, int maxInFlight, long timeoutMillis, Breaker breaker) {
        this.base = base.replaceAll("/+$", "");
        this.headers = Map.copyOf(headers);
        this.maxInFlight = maxInFlight;
        this.timeoutMillis = timeoutMillis;
        this.breaker = breaker;
    }

    String base() {
        return base;
    }

    Breaker breaker() {
        return breaker;
    }

    /** Sends one export; the outcome goes to {@code stats}. Never throws, never blocks. */
    void send(Vertx vertx, HttpClient client, Signal signal, String contentType, Buffer body, RelayStats stats) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            stats.add(RelayStats.Outcome.BUSY);
            return;
        }
        if (!breaker.allow()) {
            inFlight.decrementAndGet();
            stats.add(RelayStats.Outcome.BREAKER_OPEN);
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + signal.path())
                .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis).putHeader("content-type", contentType);
        headers.forEach(options::putHeader);
        HttpClientRequest[] sent = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMillis, t -> {
            if (sent[0] != null) {
                sent[0].reset(); // the deadline covers the whole exchange, not only silences
            }
        });
        client.request(options)
                .compose(req -> {
                    sent[0] = req;
                    // read inside send's callback, so no chunk can arrive before its handler (Vert.x #4705)
                    return req.send(body).compose(resp -> resp.body().map(b -> resp.statusCode()));
                })
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    inFlight.decrementAndGet();
                    done(ar.succeeded() ? ar.result() : -1, ar.cause(), stats);
                });
    }

    private void done(int status, Throwable cause, RelayStats stats) {
        if (status >= 200 && status < 300) {
            breaker.success();
            stats.add(RelayStats.Outcome.RELAYED);
        } else if (status >= 400 && status < 500 && status != 429) {
            // The collector is up and said no to this export (bad data, auth): not a reason to stop sending.
            breaker.success();
            stats.add(RelayStats.Outcome.REJECTED);
            LOG.debug("collector {} refused client telemetry with {}", base, status);
        } else {
            Breaker.Mode before = breaker.mode();
            breaker.failure();
            stats.add(RelayStats.Outcome.FAILED);
            if (before != Breaker.Mode.OPEN && breaker.mode() == Breaker.Mode.OPEN) {
                LOG.warn("client telemetry to {} paused: {}", base, cause != null ? cause.getMessage() : "status " + status);
            }
        }
    }
}
