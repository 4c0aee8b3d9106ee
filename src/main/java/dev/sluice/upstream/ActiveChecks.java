package dev.sluice.upstream;

import dev.sluice.config.HealthConfig;
import dev.sluice.config.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optional active health checks ({@code routing.health.check}): every interval, one {@code GET} per
 * upstream of the live configuration, with that upstream's first key when it speaks Anthropic's wire
 * (the models list costs no tokens). An answer below 500 (and not 529) within the timeout is healthy; only its
 * status is read, the body is dropped with the connection.
 * Results go to the {@link HealthBoard}: a failure counts like a failed request, a success lets an
 * open breaker probe at once. With no check configured the loop only looks again every few seconds,
 * so a reload can switch checks on or off.
 */
public final class ActiveChecks {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveChecks.class);
    private static final long IDLE_LOOK_MILLIS = 5_000;

    private final Vertx vertx;
    private final Supplier<Snapshot> live;
    private final HealthBoard board;
    private final LongSupplier clock;
    private final HttpClient client;
    private volatile boolean stopped;

    ActiveChecks(Vertx vertx, Supplier<Snapshot> live, HealthBoard board, LongSupplier clock) {
        this.vertx = vertx;
        this.live = live;
        this.board = board;
        this.clock = clock;
        // A connection's own failure (an answer that is not HTTP) fails the check, which counts it; without a handler
        // Vert.x would also log it at ERROR, naming no upstream, on every check.
        this.client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(false).setDecompressionSupported(false)
                .setTrustAll(false)).withConnectHandler(conn -> conn.exceptionHandler(e -> { })).build();
    }

    /** Starts checking; the loop ends with {@link #stop()} or when {@code vertx} closes. */
    public static ActiveChecks start(Vertx vertx, Supplier<Snapshot> live, HealthBoard board, LongSupplier clock) {
        ActiveChecks checks = new ActiveChecks(vertx, live, board, clock);
        checks.schedule(0);
        return checks;
    }

    public void stop() {
        stopped = true;
    }

    private void schedule(long delay) {
        if (!stopped) {
            vertx.setTimer(Math.max(1, delay), id -> tick());
        }
    }

    private void tick() {
        Snapshot snap = live.get();
        HealthConfig cfg = snap.config().routing().health();
        if (cfg.check() == null) {
            schedule(IDLE_LOOK_MILLIS);
            return;
        }
        for (UpstreamSpec spec : snap.get(Upstreams.PART).byName().values()) {
            check(spec, cfg).onComplete(ar -> board.of(spec.name()).checked(cfg, ar.succeeded() && ar.result(), clock.getAsLong()));
        }
        schedule(cfg.check().interval().toMillis());
    }

    /** Whether {@code spec} answered healthily; never fails. */
    Future<Boolean> check(UpstreamSpec spec, HealthConfig cfg) {
        HealthConfig.Check c = cfg.check();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(spec.host()).setPort(spec.port())
                .setSsl(spec.ssl()).setURI(spec.pathPrefix() + c.path()).setConnectTimeout(c.timeout().toMillis())
                .setIdleTimeout(c.timeout().toMillis());
        if ("anthropic".equals(spec.provider()) && spec.hasKeys()) {
            options.putHeader("x-api-key", spec.keys().getFirst().value()).putHeader("anthropic-version", "2023-06-01");
        }
        return client.request(options)
                .compose(req -> {
                    // A head that trickles in past the timeout would otherwise hold the connection until it ends.
                    long timer = vertx.setTimer(c.timeout().toMillis(), id -> req.reset());
                    return req.send().map(resp -> {
                        // The status is all a check reads. Its body is never held: aggregated, an upstream answering with an
                        // endless or huge body (a proxy's stream, garbage) filled the heap and failed checks of a healthy
                        // server by the timeout. The connection is not kept alive, so the reset just closes it.
                        resp.exceptionHandler(e -> { }); // the reset's own failure is expected
                        req.reset();
                        return resp.statusCode() < 500;
                    }).onComplete(done -> vertx.cancelTimer(timer));
                })
                .timeout(c.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .otherwise(e -> {
                    LOG.debug("health check of upstream '{}' failed: {}", spec.name(), e.toString());
                    return false;
                });
    }
}
