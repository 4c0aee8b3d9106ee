package dev.sluice.settle;

import dev.sluice.config.Part;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import io.vertx.core.MultiMap;

/**
 * Settle: prices each attempt when it ends, from the usage its translator reported, at the served
 * model's price ({@link Meter}, the exchange's configuration's prices); and states the facts on the
 * response: {@code x-sluice-provider}, {@code -upstream}, {@code -model}, {@code -cache},
 * {@code -attempts}, and {@code -cost-usd} when the cost is known before the first byte, i.e. for
 * whole answers. A stream's cost is only known at its end; it goes to the ledger, the audit log,
 * metrics and the trace, and back to the caller through {@code GET /sluice/v1/requests/{id}}.
 *
 * <p>It sits last in the stage list, so its attempt-end hook runs first and the record stage writes
 * the priced attempt.
 */
public final class SettleStage implements Stage {
    /** The price table of a configuration snapshot: prices and the operator's overrides reload live. */
    public static final Part<Meter> METER = Part.of("metering",
            c -> new Meter(PriceTable.load(c.metering().prices(), c.metering().multiplier())));

    @Override
    public String name() {
        return "settle";
    }

    @Override
    public void onAttemptEnd(Exchange ex, Attempt a) {
        String model = a.servedModel();
        if (model == null || a.usage().totalTokens() == 0 && a.usage().webSearchRequests() == 0) {
            return;
        }
        a.cost(ex.snapshot().get(METER).cost(model, a.usage()));
    }

    private static boolean answeredFromCache(Exchange ex) {
        return "hit".equals(ex.cacheStatus()) || "semantic".equals(ex.cacheStatus());
    }

    @Override
    public void onResponse(Exchange ex) {
        MultiMap h = ex.responseHeaders();
        Target t = ex.target();
        if (t != null && !ex.attempts().isEmpty()) {
            h.set("x-sluice-provider", t.provider());
            h.set("x-sluice-upstream", t.upstream());
            h.set("x-sluice-model", t.servedModel() == null ? "" : t.servedModel());
        } else if (t != null && t.servedModel() != null && answeredFromCache(ex)) {
            // No upstream served it: the provider is the gateway's cache, as its ledger record says; the model is the one
            // the stored answer came from (the key holds the route's target, so it is the target's model).
            h.set("x-sluice-provider", "cache");
            h.set("x-sluice-model", t.servedModel());
        }
        h.set("x-sluice-cache", ex.cacheStatus());
        h.set("x-sluice-attempts", Integer.toString(ex.attempts().size()));
        if (!ex.streaming()) {
            h.set("x-sluice-cost-usd", ex.cost().usd().stripTrailingZeros().toPlainString());
        }
    }
}
