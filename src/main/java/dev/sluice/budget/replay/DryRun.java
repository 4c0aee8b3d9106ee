package dev.sluice.budget.replay;

import dev.sluice.budget.counter.MemoryCounters;
import dev.sluice.budget.engine.Admission;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.budget.engine.Crossing;
import dev.sluice.budget.engine.OutputEstimator;
import dev.sluice.budget.engine.Pricing;
import dev.sluice.budget.history.SpendEvent;
import dev.sluice.budget.rules.BudgetSet;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Replays spend against proposed budgets; see the package documentation. Not thread-safe: one replay per instance. */
public final class DryRun {
    private final ReplayClock clock = new ReplayClock();
    private final Pricing pricing;
    private final BudgetEngine engine;
    private final Map<String, DryRunEvent> events = new LinkedHashMap<>();
    private long replayed;
    private long spentNano;
    private long savedNano;

    public DryRun(BudgetSet proposed, Pricing pricing) {
        this.pricing = pricing;
        this.engine = new BudgetEngine(proposed, new MemoryCounters(), pricing, OutputEstimator.defaults(), clock, Duration.ofHours(1), 10_000,
                this::crossed);
    }

    /** Replays one record; records must come in time order. */
    public void accept(SpendEvent e) {
        clock.set(e.time());
        replayed++;
        BudgetRequest req = new BudgetRequest(e.requestId(), e.attempt(), e.identity(), e.model(), e.usage().promptTokens(),
                e.usage().outputTokens());
        // The ledger does not say which provider served a record; a model degrades within its kind, as the gateway's
        // upstreams allow (a Claude wire serves Claude models): gpt-4o → Haiku was reported as a saving (round 23)
        boolean claude = isClaude(e.model());
        Admission a = engine.reserve(req, m -> isClaude(m) == claude).await();
        if (!a.admitted()) {
            savedNano += e.costNanoUsd();
            var s = a.block().standing();
            if (a.block().kind() == dev.sluice.budget.engine.BlockNotice.Kind.EXHAUSTED) {
                note(e, s.budget(), s.scopeText(), "block", a.block().message());
            }
            return;
        }
        long cost = e.costNanoUsd();
        if (a.degraded()) {
            cost = pricing.nanoUsd(a.model(), e.usage());
            savedNano += e.costNanoUsd() - cost;
            var s = a.standing();
            note(e, s.budget(), s.scopeText(), "degrade", a.degradedFrom() + " → " + a.model());
        }
        spentNano += cost;
        engine.settle(a.reservation(), e.usage(), cost).await();
    }

    private void crossed(Crossing c) {
        String who = c.rule().describe(c.entity());
        String amount = c.metric().money() ? usd(c.settled()) + " of " + usd(c.amount()) : c.settled() + " of " + c.amount() + " " + c.metric().label();
        String key = "alert|" + c.rule().name() + "|" + who + "|" + c.window().id() + "|" + c.threshold().percent();
        events.put(key, new DryRunEvent(c.at(), c.at(), c.rule().name(), who, "alert",
                c.threshold().percent() + "% (" + amount + "), then " + c.threshold().action().label(), 1));
    }

    private void note(SpendEvent e, String budget, String who, String kind, String detail) {
        // blocks group per budget and entity (their message's reset time moves along a rolling window); degrades per model pair
        String key = kind + "|" + budget + "|" + who + (kind.equals("degrade") ? "|" + detail : "");
        DryRunEvent prev = events.get(key);
        events.put(key, prev == null ? new DryRunEvent(e.time(), e.time(), budget, who, kind, detail, 1)
                : new DryRunEvent(prev.first(), e.time(), budget, who, kind, prev.detail(), prev.requests() + 1));
    }

    /** What happened, in time order. */
    private static boolean isClaude(String model) {
        return model != null && model.toLowerCase(Locale.ROOT).startsWith("claude-");
    }

    public List<DryRunEvent> events() {
        List<DryRunEvent> out = new ArrayList<>(events.values());
        out.sort(Comparator.comparing(DryRunEvent::first).thenComparing(DryRunEvent::budget));
        return out;
    }

    public long replayed() {
        return replayed;
    }

    /** Spend the proposal would have allowed. */
    public long spentNanoUsd() {
        return spentNano;
    }

    /** Spend the proposal would have refused or saved by degrading. */
    public long avoidedNanoUsd() {
        return savedNano;
    }

    static String usd(long nano) {
        return "$" + BigDecimal.valueOf(nano, 9).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
