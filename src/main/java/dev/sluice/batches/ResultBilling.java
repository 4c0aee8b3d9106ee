package dev.sluice.batches;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.config.Snapshot;
import dev.sluice.pipeline.Cost;
import dev.sluice.pipeline.Identity;
import dev.sluice.record.Ledger;
import dev.sluice.record.LedgerRecord;
import dev.sluice.settle.SettleStage;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills one line of a batch's results. A {@code succeeded} result is one upstream request the provider billed: it becomes
 * exactly one ledger record, request id {@code <batch id>:<custom_id>}, attempt 1, priced by the meter at the batch price
 * ({@code Meter.batchCost}: half the token rates), and the same spend is charged to the caller's budgets. The ledger keeps
 * the first record of an id and ignores the rest, and a budget charge is idempotent per id, so results read twice, or by
 * the sweeper and a client at once, or by two replicas, bill once. {@code errored}, {@code canceled} and {@code expired}
 * results cost nothing and have no record (the ledger holds what the upstream bills).
 */
final class ResultBilling {
    private static final Logger LOG = LoggerFactory.getLogger(ResultBilling.class);
    /** What batch records say they are, in the ledger's endpoint column. */
    static final String ENDPOINT = "message_batches";

    private final Ledger ledger;
    private final Supplier<Snapshot> live;
    private final Supplier<BudgetEngine> budgets;
    private final LongAdder billed = new LongAdder();
    private final LongAdder unreadable = new LongAdder();

    ResultBilling(Ledger ledger, Supplier<Snapshot> live, Supplier<BudgetEngine> budgets) {
        this.ledger = ledger;
        this.live = live;
        this.budgets = budgets;
    }

    /** Bills the line {@code bytes[off, off+len)} of {@code batch}'s results; a line that is not a result is logged, not billed. */
    void line(BatchRow batch, byte[] bytes, int off, int len, Tally tally) {
        JsonNode line;
        try {
            line = Json.MAPPER.readTree(bytes, off, len);
        } catch (IOException e) {
            unreadable.increment();
            LOG.error("batch {}: a results line is not JSON ({} bytes); not billed: check the upstream's bill", batch.id(), len);
            return;
        }
        if (line == null || !"succeeded".equals(line.path("result").path("type").asText())) {
            return;
        }
        String customId = line.path("custom_id").asText("");
        JsonNode message = line.path("result").path("message");
        MessageUsage.Reading reading;
        try {
            reading = MessageUsage.reading(Json.MAPPER.writeValueAsBytes(message));
        } catch (IOException | IllegalArgumentException e) {
            unreadable.increment();
            LOG.error("batch {}: result {} has no readable message; not billed: check the upstream's bill", batch.id(), customId);
            return;
        }
        Usage usage = reading.usage().bounded();
        boolean estimated = reading.doubtful() || usage != reading.usage();
        // The model that answered names the price; a result without one is priced at the table's default, and flagged.
        String model = reading.model() == null ? "unknown" : reading.model();
        Cost cost = live.get().get(SettleStage.METER).batchCost(model, usage);
        String id = batch.id() + ":" + customId;
        Identity o = batch.owner();
        ledger.append(new LedgerRecord(id, 1, Instant.now(), o.keyId(), o.keyAlias(), o.userId(), o.teamId(), o.orgId(), o.tags(),
                null, null, ENDPOINT, model, model, "anthropic", batch.keyAlias(), 200, null, usage, estimated, cost.nanoUsd(),
                cost.providerCacheSavingsNanoUsd(), 0, null, 0, 0, 0, false, 0, 0, null, cost.defaultPriced()));
        if (!tally.counted.contains(id)) { // else the counters were rebuilt from a ledger already holding it
            budgets.get().charge(id, o, model, usage, cost.nanoUsd()).onFailure(e ->
                    LOG.warn("batch {}: budget charge for {} failed ({}); the ledger has it and counters rebuild from it", batch.id(),
                            customId, e.toString()));
        }
        billed.increment();
        tally.records++;
        tally.nanoUsd += cost.nanoUsd();
    }

    /** What one reading of a batch's results billed, for its audit line. One reading runs on one event loop. */
    static final class Tally {
        /** Result ids the budget counters already hold (see {@code BatchCalls.counted}): recorded, not charged again. */
        private final java.util.Set<String> counted;
        private long records;
        private long nanoUsd;

        Tally(java.util.Set<String> counted) {
            this.counted = counted;
        }

        long records() {
            return records;
        }

        long nanoUsd() {
            return nanoUsd;
        }
    }

    /** Succeeded results billed by this process (a result read twice counts twice here, never in the ledger). */
    long billed() {
        return billed.sum();
    }

    long unreadable() {
        return unreadable.sum();
    }
}
