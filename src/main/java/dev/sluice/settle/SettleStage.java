package dev.sluice.settle;

import dev.sluice.pipeline.Cost;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.StreamUsage;
import dev.sluice.wire.Usage;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settle: turns what the upstream reported into usage and cost on the exchange, and states the facts
 * on the response ({@code x-sluice-provider}, {@code -model}, {@code -cache}, {@code -attempts}, and
 * {@code -cost-usd} when it is known before the first byte, i.e. for non-streaming replies). A stream's
 * cost is only known at its end; it goes to the ledger, the audit log, metrics and the trace.
 *
 * <p>It sits last in the stage list so that its completion hook runs first and the record and trace
 * stages see the final numbers.
 */
public final class SettleStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(SettleStage.class);
    private static final Exchange.Key<StreamUsage> STREAM = new Exchange.Key<>("stream-usage", StreamUsage.class);
    private static final Exchange.Key<Boolean> SETTLED = new Exchange.Key<>("settled", Boolean.class);
    /** Bytes of JSON around the text of a content_block_delta, not counted toward an output estimate. */
    private static final int DELTA_ENVELOPE_BYTES = 60;

    private final Meter meter;

    public SettleStage(Meter meter) {
        this.meter = meter;
    }

    @Override
    public String name() {
        return "settle";
    }

    @Override
    public void onResponse(Exchange ex) {
        MultiMap h = ex.responseHeaders();
        if (ex.target() != null) {
            h.set("x-sluice-provider", ex.target().provider());
            h.set("x-sluice-model", ex.target().servedModel() == null ? "" : ex.target().servedModel());
        }
        h.set("x-sluice-cache", ex.cacheStatus());
        h.set("x-sluice-attempts", Integer.toString(ex.attempts()));
        if (!ex.streaming() && ex.responseBody() != null) {
            settleBody(ex);
            h.set("x-sluice-cost-usd", ex.cost().usd().stripTrailingZeros().toPlainString());
        }
    }

    @Override
    public void onEvent(Exchange ex, SseEvent event) {
        StreamUsage usage = ex.get(STREAM);
        if (usage == null) {
            usage = new StreamUsage();
            ex.put(STREAM, usage);
        }
        usage.onEvent(event.type(), event.raw(), event.dataStart(), event.dataLength());
        if ("content_block_delta".equals(event.type())) {
            usage.addEstimatedOutput(event.dataLength() - DELTA_ENVELOPE_BYTES);
        }
    }

    @Override
    public void onComplete(Exchange ex) {
        StreamUsage stream = ex.get(STREAM);
        if (stream != null) {
            ex.usage(stream.usage(), stream.estimated());
            if (stream.errorType() != null && ex.errorType() == null) {
                ex.errorType(stream.errorType());
            }
            price(ex, stream.servedModel());
        } else if (ex.responseBody() != null) {
            settleBody(ex);
        }
    }

    private void settleBody(Exchange ex) {
        if (ex.get(SETTLED) != null) {
            return;
        }
        ex.put(SETTLED, Boolean.TRUE);
        Buffer body = ex.responseBody();
        if (ex.status() >= 300 || body.length() == 0) {
            return;
        }
        try {
            byte[] bytes = body.getBytes();
            ex.usage(MessageUsage.read(bytes, 0, bytes.length), false);
        } catch (IllegalArgumentException e) {
            // Not JSON although 2xx: bill nothing but say so, never silently.
            LOG.warn("request {}: upstream 2xx body has no readable usage ({}); recorded as estimated zero", ex.requestId(), e.getMessage());
            ex.usage(Usage.ZERO, true);
        }
        price(ex, null);
    }

    private void price(Exchange ex, String reportedModel) {
        String model = reportedModel != null ? reportedModel
                : ex.target() != null && ex.target().servedModel() != null ? ex.target().servedModel() : ex.facts().model();
        if (model == null) {
            return;
        }
        ex.cost(meter.cost(model, ex.usage()));
    }
}
