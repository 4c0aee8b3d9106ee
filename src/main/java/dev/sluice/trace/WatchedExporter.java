package dev.sluice.trace;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The span exporter, watched: the OpenTelemetry SDK reports a failed export only through java.util.logging, which the
 * gateway's log does not show, so an unreachable collector would drop every trace without a word. This counts the
 * spans it could not deliver (for {@code /metrics}) and logs once when exports start failing and once when they work
 * again: one line per outage, not one per batch.
 */
final class WatchedExporter implements SpanExporter {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedExporter.class);

    private final SpanExporter delegate;
    private final String endpoint;
    private final LongAdder exported = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean failing = new AtomicBoolean();

    WatchedExporter(SpanExporter delegate, String endpoint) {
        this.delegate = delegate;
        this.endpoint = endpoint;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = delegate.export(spans);
        int n = spans.size();
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                exported.add(n);
                if (failing.compareAndSet(true, false)) {
                    LOG.info("traces reach {} again", endpoint);
                }
            } else {
                failed.add(n);
                if (failing.compareAndSet(false, true)) {
                    Throwable why = result.getFailureThrowable();
                    LOG.warn("traces cannot be exported to {} ({}); spans are dropped until it answers (counted in"
                            + " sluice_trace_spans_failed_total)", endpoint, why == null ? "the collector refused them" : why.toString());
                }
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    long exported() {
        return exported.sum();
    }

    long failed() {
        return failed.sum();
    }
}
