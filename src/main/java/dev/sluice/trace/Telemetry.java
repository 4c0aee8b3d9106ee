package dev.sluice.trace;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.Stage;
import dev.sluice.record.LedgerStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Traces, metrics and the audit log for one gateway, built from its {@link TelemetryConfig}.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder(config.telemetry(), dataDir).ledgerStats(ledger::stats).build();
 * stages = [telemetry.stage(), authenticate, route, ...]   // first, so it completes last
 * extra routes += telemetry.routes()                       // GET /metrics when metrics are on
 * on shutdown, after the front servers stop: telemetry.close()
 * }</pre>
 * One instance serves every event loop; everything in it is thread-safe.
 */
public final class Telemetry implements AutoCloseable {
    private final Tracing tracing;
    private final Metrics metrics;
    private final AuditWriter audit;
    private final TelemetryStage stage;

    private Telemetry(Builder b) {
        LongAdder inFlight = new LongAdder();
        List<ExchangeObserver> observers = new ArrayList<>(3);
        this.tracing = b.config.otlpEndpoint() == null ? null : Tracing.otlp(b.config.otlpEndpoint(), b.serviceName);
        if (tracing != null) {
            observers.add(new SpanWriter(tracing.tracer()));
        }
        this.audit = auditWriter(b.config, b.dataDir);
        this.metrics = b.config.metrics() ? new Metrics(b.ledgerStats, inFlight, b.config.metricsToken()) : null;
        if (metrics != null) {
            observers.add(metrics.observer());
            b.gauges.forEach(g -> metrics.gauge(g));
            if (tracing != null) {
                WatchedExporter e = tracing.exporter();
                metrics.gauge(new Reading("sluice.trace.spans.exported", "Spans the OTLP collector accepted", true, e::exported));
                metrics.gauge(new Reading("sluice.trace.spans.failed", "Spans that could not be exported (collector unreachable"
                        + " or refusing)", true, e::failed));
            }
            if (audit != null) {
                metrics.audit(audit);
            }
        }
        if (audit != null) {
            observers.add(new AuditLog(b.config.logContent(), audit));
        }
        this.stage = new TelemetryStage(observers, inFlight);
    }

    private static AuditWriter auditWriter(TelemetryConfig c, Path dataDir) {
        String where = c.auditLog() == null ? dataDir.resolve("audit.jsonl").toString() : c.auditLog();
        if (where.equals("off")) {
            return null;
        }
        // The chain's key and the anchor stay in the data directory even when the log goes elsewhere (a shipped log).
        if (where.equals("stdout")) {
            return AuditWriter.toStdout(AuditKey.loadOrCreate(System.getenv(), dataDir));
        }
        Path anchor = AuditAnchor.fileFor(Path.of(where), dataDir);
        return AuditWriter.toFile(Path.of(where), AuditKey.loadOrCreate(System.getenv(), dataDir, anchor), anchor);
    }

    public static Builder builder(TelemetryConfig config, Path dataDir) {
        return new Builder(Objects.requireNonNull(config, "config"), Objects.requireNonNull(dataDir, "dataDir"));
    }

    /** The stage to put first in the pipeline: its completion hook then sees the exchange after every other stage's. */
    public Stage stage() {
        return stage;
    }

    /** {@code /metrics} when metrics are on, else nothing. */
    public List<ExtraRoute> routes() {
        return metrics == null ? List.of() : List.of(metrics.route());
    }

    /** True when there is an audit log ({@code telemetry.audit-log} is not {@code off}). */
    public boolean auditing() {
        return audit != null;
    }

    /** True when spans are exported (an OTLP endpoint is configured). */
    public boolean tracing() {
        return tracing != null;
    }

    /** Exports every span ended so far; true when done within the timeout (and always when tracing is off). */
    public boolean flush(Duration timeout) {
        return tracing == null || tracing.flush(timeout);
    }

    /**
     * Records an administrative change in the audit log, chained like request lines: {@code kind} {@code admin_change},
     * who made it (the admin credential's name), the action ({@code budget.set}), the object and the detail. Does nothing
     * when the audit log is off.
     */
    public void auditChange(String who, String action, String object, String detail) {
        if (audit != null) {
            audit.write(new dev.sluice.wire.JsonText(256 + (detail == null ? 0 : detail.length())).field("ts", java.time.Instant.now().toString())
                    .field("kind", "admin_change").field("who", who).field("action", action).field("object", object)
                    .field("detail", detail).bytes());
        }
    }

    /**
     * Records a Message Batches call or a billing of a batch's results in the audit log, chained like request lines:
     * {@code kind} {@code message_batch}, the action, the batch, who (the gateway key and its owners), the status the
     * caller got, a create's request count, a billing's records and dollars. Metadata only: a batch's
     * prompts stay out of the log. Does nothing when the audit log is off.
     */
    public void auditBatch(String requestId, String action, dev.sluice.pipeline.Identity who, String batchId, int status,
                           long requests, long records, long costNanoUsd) {
        if (audit != null) {
            audit.write(AuditLog.batchLine(requestId, action, who, batchId, status, requests, records, costNanoUsd).bytes());
        }
    }

    /**
     * Writes the audit line of an attempt a crash left unfinished, recovered into the ledger at this start as
     * {@code gateway_restart} ({@code record.InFlightAttempts#takeRecovered}): every billed request then has a line.
     * Does nothing when the audit log is off.
     */
    public void auditRecovered(dev.sluice.record.LedgerRecord attempt) {
        if (audit != null) {
            audit.write(AuditLog.recoveredLine(attempt).bytes());
        }
    }

    /** Exports queued spans, writes the audit lines still queued, releases the registry. Call after the servers stop. */
    @Override
    public void close() {
        if (tracing != null) {
            tracing.close();
        }
        if (audit != null) {
            audit.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    Metrics metrics() {
        return metrics;
    }

    /**
     * A number another part of the gateway keeps that {@code /metrics} should show.
     *
     * @param counter true for a monotonic count (exposed as {@code _total}), false for a level
     */
    public record Reading(String name, String description, boolean counter, Supplier<Number> value, String... tags) {
        double read() {
            return value.get().doubleValue();
        }

        static ToDoubleFunction<Reading> reader() {
            return Reading::read;
        }
    }

    /** Options beyond the config file: where the ledger's health comes from, and other parts' readings. */
    public static final class Builder {
        private final TelemetryConfig config;
        private final Path dataDir;
        private final List<Reading> gauges = new ArrayList<>();
        private Supplier<LedgerStats> ledgerStats;
        private String serviceName = "sluice";

        private Builder(TelemetryConfig config, Path dataDir) {
            this.config = config;
            this.dataDir = dataDir;
        }

        /** The ledger's stats, for its queue and lag gauges; without it those meters are absent. */
        public Builder ledgerStats(Supplier<LedgerStats> ledgerStats) {
            this.ledgerStats = Objects.requireNonNull(ledgerStats, "ledgerStats");
            return this;
        }

        /** A reading to expose on {@code /metrics}. */
        public Builder reading(Reading reading) {
            gauges.add(Objects.requireNonNull(reading, "reading"));
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
