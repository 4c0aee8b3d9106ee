package dev.sluice.trace;

import dev.sluice.front.ExtraRoute;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import dev.sluice.record.LedgerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * The Prometheus registry, what feeds it, and the {@code /metrics} endpoint that serves it. Besides the
 * request meters it carries the ledger's and the audit log's health, connections and requests the
 * front refused, requests in flight and the usual JVM meters.
 *
 * <p>Metrics name teams, models and volumes, so {@code /metrics} answers loopback callers (a local
 * Prometheus or sidecar) and, from elsewhere, only callers presenting the configured token.
 */
final class Metrics implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final String OPEN_METRICS = "application/openmetrics-text";
    private static final String OPEN_METRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests;
    private final LedgerGauges ledger;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private final byte[] token;

    Metrics(Supplier<LedgerStats> ledgerStats, LongAdder inFlight, String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.requests = new RequestMetrics(registry);
        this.ledger = ledgerStats == null ? null : new LedgerGauges(registry, ledgerStats);
        Gauge.builder("sluice.requests.active", inFlight, LongAdder::sum)
                .description("Requests inside the pipeline now").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** Readings are held here: Micrometer keeps only weak references to a meter's state. */
    private final java.util.List<Telemetry.Reading> readings = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Exposes another part's reading. */
    void gauge(Telemetry.Reading r) {
        readings.add(r);
        if (r.counter()) {
            FunctionCounter.builder(r.name(), r, Telemetry.Reading.reader()).description(r.description()).tags(r.tags())
                    .register(registry);
        } else {
            Gauge.builder(r.name(), r, Telemetry.Reading.reader()).description(r.description()).tags(r.tags())
                    .strongReference(true).register(registry);
        }
    }

    void audit(AuditWriter audit) {
        FunctionCounter.builder("sluice.audit.lines", audit, AuditWriter::written)
                .description("Audit lines written").register(registry);
        FunctionCounter.builder("sluice.audit.direct.writes", audit, AuditWriter::direct)
                .description("Audit lines written by the request itself because the writer's queue was full (none are dropped)")
                .register(registry);
        FunctionCounter.builder("sluice.audit.errors", audit, AuditWriter::errors)
                .description("Audit lines that could not be written (disk errors): must stay 0").register(registry);
        Gauge.builder("sluice.audit.queue.depth", audit, AuditWriter::queued)
                .description("Audit lines waiting for the writer").register(registry);
    }

    ExchangeObserver observer() {
        return requests;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code GET /metrics}: the exposition format Prometheus asked for (OpenMetrics or text 0.0.4). */
    ExtraRoute route() {
        return new ExtraRoute(PATH, this::serve);
    }

    private void serve(HttpServerRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            req.response().putHeader("allow", "GET, HEAD");
            Replies.send(req.response(), new ApiError(405, "invalid_request_error", req.method() + " is not allowed on "
                    + PATH + " (expected: GET or HEAD)", false, null));
            return;
        }
        if (!allowed(req)) {
            Replies.send(req.response(), token == null
                    ? new ApiError(403, "permission_error", "/metrics answers loopback callers only; set telemetry.metrics-token"
                            + " to scrape from elsewhere", false, null)
                    : ApiError.authentication("/metrics needs Authorization: Bearer <telemetry.metrics-token> (from every"
                            + " caller, loopback included, once a token is set)"));
            return;
        }
        String accept = req.getHeader("accept");
        String type = accept != null && accept.contains(OPEN_METRICS) ? OPEN_METRICS_TYPE : TEXT_TYPE;
        Context ctx = Vertx.currentContext();
        if (ctx == null) {
            respond(req, type, scrape(type));
            return;
        }
        // Rendering every series is milliseconds of work on a busy registry: keep it off the event loop.
        ctx.executeBlocking(() -> scrape(type), false).onComplete(ar -> {
            if (ar.succeeded()) {
                respond(req, type, ar.result());
            } else {
                Replies.send(req.response(), ApiError.internal("metrics scrape failed"));
            }
        });
    }

    /**
     * Without a token, loopback callers only. With one, every caller shows it, loopback too: a reverse proxy on the
     * same host makes every outside caller look like loopback, and setting a token is how an operator says so.
     */
    private boolean allowed(HttpServerRequest req) {
        if (token == null) {
            return req.remoteAddress() != null && isLoopback(req.remoteAddress().hostAddress());
        }
        String auth = req.getHeader("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1"));
    }

    private String scrape(String type) {
        if (ledger != null) {
            ledger.refresh();
        }
        return registry.scrape(type);
    }

    private static void respond(HttpServerRequest req, String type, String body) {
        req.response().putHeader("content-type", type).putHeader("cache-control", "no-store")
                .end(req.method() == HttpMethod.HEAD ? "" : body);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
