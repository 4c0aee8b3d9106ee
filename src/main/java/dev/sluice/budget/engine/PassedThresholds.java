package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.LineState;
import dev.sluice.budget.rules.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alert of a threshold a budget stands past without any settle having crossed it: a budget added, or lowered, below
 * what its developer already spent. A crossing is seen only when a settle moves spend over a line, so such a budget
 * refused every request with no alert at all, and its owner never learnt it was blocking anyone (round 23).
 *
 * <p>Each reservation (admitted or refused) shows where its lines stand; a threshold passed there is claimed in the
 * store with the same token a crossing claims, so it is reported once per budget, entity, period and threshold
 * across replicas, whichever way it was reached first. The counters rebuilt from the ledger at a start (or after Redis
 * was flushed) claim the thresholds they find passed without reporting them ({@link CounterRebuild}): a restart must
 * not alert again what the store's lost claims had already reported. Each replica asks the store once per token (a
 * set of tokens known claimed, bounded: cleared when full, which costs only repeated claims).
 */
final class PassedThresholds {
    private static final int MAX_KNOWN = 100_000;

    private final CounterStore store;
    private final CrossingListener listener;
    private final BudgetMetrics metrics;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    PassedThresholds(CounterStore store, CrossingListener listener, BudgetMetrics metrics) {
        this.store = store;
        this.listener = listener;
        this.metrics = metrics;
    }

    /** The claim token of a threshold of a line: what crossings and this class agree on. */
    static String token(String lineKey, int percent) {
        return "alert:" + lineKey.substring(lineKey.indexOf(":l:") + 3) + ":" + percent;
    }

    /** How long a claim outlives the period it is for. */
    static Duration ttl(Instant now, Instant periodEnd) {
        return Duration.between(now, periodEnd).plusDays(2);
    }

    /** Remembers a token claimed (or found claimed) elsewhere, so this replica does not ask again. */
    void claimed(String tenant, String token) {
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.add(tenant + "|" + token);
    }

    /** Reports each threshold the lines of {@code plan} stand past and no one has reported yet this period. */
    void check(String tenant, List<Charge> plan, List<LineState> states, Instant now) {
        for (int i = 0; i < plan.size() && i < states.size(); i++) {
            Charge c = plan.get(i);
            if (c.role() != Charge.Role.TOTAL) {
                continue;
            }
            long settled = states.get(i).settled();
            for (Threshold t : c.applied().rule().thresholds()) {
                if (settled < t.lineOf(c.amount())) {
                    continue;
                }
                String token = token(c.spec().key(), t.percent());
                if (known.contains(tenant + "|" + token)) {
                    continue;
                }
                claimed(tenant, token);
                Crossing x = new Crossing(c.applied().rule(), c.applied().entity(), tenant, t, c.limit().metric(), c.amount(), settled,
                        c.window(), now);
                store.claim(tenant, token, ttl(now, c.window().end())).onComplete(ar -> {
                    if (ar.failed()) {
                        known.remove(tenant + "|" + token); // the store did not answer: ask again next time
                    } else if (ar.result()) {
                        metrics.crossings.incrementAndGet();
                        listener.crossed(x);
                    }
                });
            }
        }
    }
}
