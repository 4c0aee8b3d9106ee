package dev.sluice.trace;

import dev.sluice.accept.ExtraRoute;
import dev.sluice.config.TelemetryConfig;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.record.LedgerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Traces, metrics and the audit log for one gateway, built from its {@link TelemetryConfig}.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder(config.telemetry()).ledgerStats(ledger::stats).build();
 * stages = [telemetry.stage(), authenticate, route, ...]   // first, so it completes last
 * extra routes += telemetry.routes()                       // GET /metrics when metrics are on
 * on shutdown, after the front servers stop: telemetry.close()
 * }</pre>
 * One instance serves every event loop; everything in it is thread-safe.
 */
public final class Telemetry implements AutoCloseable {
    private final Tracing tracing;
    private final Metrics metrics;
    private final TelemetryStage stage;

    private Telemetry(Builder b) {
        LongAdder inFlight = new LongAdder();
        List<ExchangeObserver> observers = new ArrayList<>(3);
        this.tracing = b.config.otlpEndpoint() == null ? null : Tracing.otlp(b.config.otlpEndpoint(), b.serviceName);
        if (tracing != null) {
            observers.add(new SpanWriter(tracing.tracer()));
        }
        this.metrics = b.config.metrics() ? new Metrics(b.ledgerStats, b.gatewayCacheSavingsNanoUsd, inFlight) : null;
        if (metrics != null) {
            observers.add(metrics.observer());
        }
        observers.add(new AuditLog(b.config.logContent(), b.gatewayCacheSavingsNanoUsd));
        this.stage = new TelemetryStage(observers, inFlight);
    }

    public static Builder builder(TelemetryConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
    }

    /** The stage to put first in the pipeline: its completion hook then sees the exchange after every other stage's. */
    public Stage stage() {
        return stage;
    }

    /** {@code /metrics} when metrics are on, else nothing. */
    public List<ExtraRoute> routes() {
        return metrics == null ? List.of() : List.of(metrics.route());
    }

    /** True when spans are exported (an OTLP endpoint is configured). */
    public boolean tracing() {
        return tracing != null;
    }

    /** Exports every span ended so far; true when done within the timeout (and always when tracing is off). */
    public boolean flush(Duration timeout) {
        return tracing == null || tracing.flush(timeout);
    }

    /** Exports queued spans (for a few seconds at most) and releases the registry. Call after the servers stop. */
    @Override
    public void close() {
        if (tracing != null) {
            tracing.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    Metrics metrics() {
        return metrics;
    }

    /** Options beyond the config file: where the ledger's health and the gateway cache's savings come from. */
    public static final class Builder {
        private final TelemetryConfig config;
        private Supplier<LedgerStats> ledgerStats;
        private ToLongFunction<Exchange> gatewayCacheSavingsNanoUsd = ex -> 0;
        private String serviceName = "sluice";

        private Builder(TelemetryConfig config) {
            this.config = config;
        }

        /** The ledger's stats, for its queue and lag gauges; without it those meters are absent. */
        public Builder ledgerStats(Supplier<LedgerStats> ledgerStats) {
            this.ledgerStats = Objects.requireNonNull(ledgerStats, "ledgerStats");
            return this;
        }

        /** What a gateway-cache answer saved, in nano-USD (0 for an exchange the cache did not answer). */
        public Builder gatewayCacheSavings(ToLongFunction<Exchange> nanoUsd) {
            this.gatewayCacheSavingsNanoUsd = Objects.requireNonNull(nanoUsd, "nanoUsd");
            return this;
        }

        /** The OpenTelemetry {@code service.name}; {@code sluice} unless several gateways share a collector. */
        public Builder serviceName(String serviceName) {
            this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
            return this;
        }

        public Telemetry build() {
            return new Telemetry(this);
        }
    }
}
