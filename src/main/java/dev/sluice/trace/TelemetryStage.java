package dev.sluice.trace;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every finished exchange to the observers. Placed first in the pipeline so that its completion
 * hook runs after every other stage's, when usage, cost and status are final.
 */
final class TelemetryStage implements Stage {
    static final String NAME = "telemetry";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryStage.class);

    private final ExchangeObserver[] observers;
    private final LongAdder inFlight;

    TelemetryStage(List<ExchangeObserver> observers, LongAdder inFlight) {
        this.observers = observers.toArray(ExchangeObserver[]::new);
        this.inFlight = inFlight;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        inFlight.increment();
        return CONTINUE;
    }

    @Override
    public void onComplete(Exchange ex) {
        inFlight.decrement();
        for (ExchangeObserver o : observers) {
            try {
                o.observe(ex);
            } catch (RuntimeException e) {
                // A broken exporter or meter must not cost the audit line, nor the other way round.
                LOG.warn("telemetry observer {} failed on request {}", o.getClass().getSimpleName(), ex.requestId(), e);
            }
        }
    }
}
