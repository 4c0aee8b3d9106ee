package dev.sluice.settle;

import dev.sluice.config.Part;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import io.vertx.core.MultiMap;
import java.util.List;

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

    @Override
    public void onResponse(Exchange ex) {
        MultiMap h = ex.responseHeaders();
        Target t = ex.target();
        if (t != null && !ex.attempts().isEmpty()) {
            h.set("x-sluice-provider", t.provider());
            h.set("x-sluice-upstream", t.upstream());
            String model = answering(ex).servedModel(); // the attempt's, as its ledger record: a provider's `models:` map
            h.set("x-sluice-model", model == null ? "" : model); // renames what the target names
        }
        h.set("x-sluice-cache", ex.cacheStatus());
        h.set("x-sluice-attempts", Integer.toString(ex.attempts().size()));
        if (!ex.streaming()) {
            h.set("x-sluice-cost-usd", ex.cost().usd().stripTrailingZeros().toPlainString());
        }
    }

    /** The attempt whose answer the client gets: the committed one, else (an error relayed) the last. */
    private static Attempt answering(Exchange ex) {
        List<Attempt> attempts = ex.attempts();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).committed()) {
                return attempts.get(i);
            }
        }
        return attempts.getLast();
    }
}
