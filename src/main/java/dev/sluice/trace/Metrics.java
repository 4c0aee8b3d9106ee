package dev.sluice.trace;

import dev.sluice.accept.ExtraRoute;
import dev.sluice.pipeline.Exchange;
import dev.sluice.record.LedgerStats;
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
import java.util.function.ToLongFunction;

/**
 * The Prometheus registry, what feeds it, and the {@code /metrics} endpoint that serves it. Besides the
 * request meters it carries the ledger's health, requests in flight and the usual JVM meters.
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

    Metrics(Supplier<LedgerStats> ledgerStats, ToLongFunction<Exchange> gatewayCacheSavingsNanoUsd, LongAdder inFlight) {
        this.requests = new RequestMetrics(registry, gatewayCacheSavingsNanoUsd);
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
            req.response().setStatusCode(405).putHeader("allow", "GET, HEAD").end();
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
                req.response().setStatusCode(500).end("metrics scrape failed: " + ar.cause());
            }
        });
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
