package dev.sluice.budget;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;
import dev.sluice.settle.PriceTable;
import java.util.function.Predicate;

/**
 * The route's plan with the served model replaced by the cheaper one a degrade threshold chose. Targets that serve
 * the routed model (the first, and retries of it on other keys) serve the degraded model on the same upstream; the
 * provider writes that model into each attempt's body. Retries and fallbacks are still the route's decision.
 */
public final class DegradedPlan implements AttemptPlan {
    private final AttemptPlan routed;
    private final String from;
    private final String to;
    private final Predicate<Target> serves;

    DegradedPlan(AttemptPlan routed, String from, String to) {
        this(routed, from, to, t -> true);
    }

    /** @param serves whether a target's upstream can serve {@code to} ({@link DegradeTargets}); one that cannot keeps its model */
    DegradedPlan(AttemptPlan routed, String from, String to, Predicate<Target> serves) {
        this.routed = routed;
        this.from = from;
        this.to = to;
        this.serves = serves;
    }

    @Override
    public Target first() {
        return swap(routed.first());
    }

    @Override
    public Retry next(Exchange ex, Attempt failed) {
        Retry r = routed.next(ex, failed);
        return r == null ? null : new Retry(swap(r.target()), r.delayMillis());
    }

    @Override
    public String routeName() {
        return routed.routeName();
    }

    /** The route's targets, each serving the degraded model where it would have served the routed one. */
    @Override
    public java.util.List<Target> targets() {
        return routed.targets().stream().map(this::swap).toList();
    }

    /**
     * A target serves the routed model also under its provider's own spelling (a fallback to Bedrock written as
     * {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}): it gets the degraded model by its Anthropic name, which
     * every Claude provider maps to its own id. Left as it was, a fallback undid the degrade: the full model served,
     * at its full price, under a response that said {@code x-sluice-degraded-from} (round 21).
     */
    private Target swap(Target t) {
        return t != null && PriceTable.sameModel(from, t.servedModel()) && serves.test(t) ? new Target(t.upstream(), t.provider(), to) : t;
    }

    /** The plan the route stage made. */
    public AttemptPlan routed() {
        return routed;
    }

    @Override
    public long firstByteMillis(Attempt attempt) {
        return routed.firstByteMillis(attempt);
    }

    /** The route's abilities (its key choice, its own bookkeeping) stay in force under a degrade. */
    @Override
    public <T> T as(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : routed.as(type);
    }
}
