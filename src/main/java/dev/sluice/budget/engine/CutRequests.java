package dev.sluice.budget.engine;

import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Usage;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests a killed gateway had not yet settled on counters that outlived it (Redis), settled at the next start.
 *
 * <p>In-memory counters start from the ledger, which by then holds each cut attempt as a {@code gateway_restart}
 * record, so they need nothing more. Redis keeps its counters across the kill and is not rebuilt, so two kinds of spend
 * would never reach it: a request the kill cut (the process that would have settled it is gone, and its reservation
 * would hold the line for the reservation's time to live, 15 minutes by default, refusing others near the cap as "in
 * flight"), and a request settled into the replica's lease whose spend waited for the next flush. So each such request
 * is settled here under its own reservation's id with what the ledger holds for it, every attempt summed (a fallback's
 * first attempt, recorded before the kill, and the one the kill cut): one settle gives the reservation back and adds the
 * spend, and a request whose settle did reach Redis before the kill is a duplicate its settle marker ignores.
 */
public final class CutRequests {
    private static final Logger LOG = LoggerFactory.getLogger(CutRequests.class);

    /** A request the last run may not have settled: who made it and the model it was served. */
    public record Cut(String requestId, Identity who, String model) {
    }

    private CutRequests() {
    }

    /**
     * Settles each request in {@code cut} (one per request id) on {@code engine} with the ledger's sum of its attempts;
     * waits up to {@code wait} for the store's answers. Blocking: call it off the event loop, after the ledger has
     * taken the restart's records. The number of requests settled.
     */
    public static int settle(BudgetEngine engine, LedgerSpend ledger, Collection<Cut> cut, Duration wait) {
        Map<String, Cut> byRequest = new LinkedHashMap<>();
        cut.forEach(c -> byRequest.putIfAbsent(c.requestId(), c));
        List<Future<Void>> sent = new ArrayList<>();
        try {
            for (Cut c : byRequest.values()) {
                LedgerSpend.Row sum = ledger.request(c.requestId());
                if (sum == null) {
                    continue; // the ledger has no attempt of it: nothing was spent, and the reservation lapses by itself
                }
                Usage usage = Usage.of(sum.promptTokens(), sum.outputTokens());
                String model = c.model() == null ? "unknown" : c.model();
                sent.add(engine.charge(c.requestId(), c.who(), model, usage, sum.costNanoUsd()));
            }
        } catch (RuntimeException e) { // the ledger unreadable: the start goes on; the rest waits for a rebuild
            LOG.error("budget counters: {} request(s) the last stop left unsettled could not be read from the ledger ({}); "
                    + "{} settled", byRequest.size(), e.toString(), sent.size());
        }
        if (sent.isEmpty()) {
            return 0;
        }
        try {
            Future.join(sent).await(wait.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("budget counters: {} request(s) the last stop left unsettled settled from the ledger", sent.size());
        } catch (Exception e) {
            LOG.error("budget counters: settling {} request(s) the last stop left unsettled did not complete ({}); their "
                    + "reservations lapse after their time to live", sent.size(), e.toString());
        }
        return sent.size();
    }
}
