package dev.sluice.trace;

import dev.sluice.record.LedgerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's health as gauges and counters. The stats are read once per scrape ({@link #refresh}),
 * not once per meter, so the eight meters show one consistent snapshot and the ledger is asked once.
 */
final class LedgerGauges {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerGauges.class);

    private final Supplier<LedgerStats> source;
    private volatile LedgerStats last;

    LedgerGauges(MeterRegistry registry, Supplier<LedgerStats> source) {
        this.source = source;
        gauge(registry, "sluice.ledger.queue.depth", null, "Ledger records held in memory for the writer", s -> s.queueDepth());
        gauge(registry, "sluice.ledger.flush.lag", "seconds", "Age of the oldest ledger record not yet in the database",
                s -> s.flushLagMillis() / 1000.0);
        gauge(registry, "sluice.ledger.backlog", null, "1 while the ledger writer reads back from its journal",
                s -> s.backlog() ? 1 : 0);
        gauge(registry, "sluice.ledger.journal", "bytes", "Bytes in ledger journal segments not yet deleted", s -> s.journalBytes());
        counter(registry, "sluice.ledger.appended", "Ledger records accepted", s -> s.recordsAppended());
        counter(registry, "sluice.ledger.written", "Ledger records committed to the database", s -> s.recordsWritten());
        counter(registry, "sluice.ledger.dropped", "Ledger records lost: must stay 0", s -> s.dropped());
        counter(registry, "sluice.ledger.rejected", "Ledger records the database refused as invalid", s -> s.rejected());
        counter(registry, "sluice.ledger.corrupt", "Journal lines skipped on a failed checksum", s -> s.corrupt());
        refresh();
    }

    /** Reads the ledger's stats for the scrape about to happen; on failure the gauges keep the last snapshot. */
    void refresh() {
        try {
            last = source.get();
        } catch (RuntimeException e) {
            LOG.warn("could not read ledger stats for metrics", e);
        }
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<LedgerStats> f) {
        Gauge.builder(name, this, g -> g.read(f)).description(description).baseUnit(unit).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<LedgerStats> f) {
        FunctionCounter.builder(name, this, g -> g.read(f)).description(description).register(registry);
    }

    private double read(ToDoubleFunction<LedgerStats> f) {
        LedgerStats s = last;
        return s == null ? Double.NaN : f.applyAsDouble(s);
    }
}
