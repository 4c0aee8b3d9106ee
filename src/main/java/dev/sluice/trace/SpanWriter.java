package dev.sluice.trace;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Exchange.Mark;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Replays a finished exchange as a trace: one SERVER span for the request, from its first byte to now,
 * with a child per timeline mark (an INTERNAL span per stage, a CLIENT span per upstream attempt).
 *
 * <p>Marks are on the {@link System#nanoTime()} clock, which has no epoch; the offset to wall-clock time
 * is taken once at start, so spans of one request are exactly consistent with each other. (Over weeks of
 * uptime NTP may move the wall clock away from that offset by some milliseconds; a restart resets it.)
 *
 * <p>An incoming W3C {@code traceparent} makes the request span its child, so the gateway shows up
 * inside the caller's trace.
 */
final class SpanWriter implements ExchangeObserver {
    private static final String ATTEMPT_PREFIX = "upstream attempt";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final Tracer tracer;
    private final SpanAttributes attributes = new SpanAttributes();
    private final long epochOffsetNanos;

    SpanWriter(Tracer tracer) {
        this.tracer = tracer;
        Instant wall = Clock.systemUTC().instant();
        this.epochOffsetNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - System.nanoTime();
    }

    @Override
    public void observe(Exchange ex) {
        Context parent = W3C.extract(Context.root(), ex.request(), TraceHeaders.INSTANCE);
        SpanContext caller = Span.fromContext(parent).getSpanContext();
        if (caller.isValid() && !caller.isSampled()) {
            return; // the parent-based sampler would drop every span of this trace: skip building them
        }
        long end = System.nanoTime();
        SpanBuilder b = tracer.spanBuilder(ex.route()).setParent(parent)
                .setSpanKind(SpanKind.SERVER).setStartTimestamp(epoch(ex.arrivedNanos()), TimeUnit.NANOSECONDS);
        attributes.server(b, ex);
        Span server = b.startSpan();
        if (ex.errorType() != null) {
            server.setStatus(StatusCode.ERROR, ex.errorType());
        }
        Context inside = parent.with(server);
        for (Mark m : ex.timeline()) {
            if (!TelemetryStage.NAME.equals(m.name())) {
                child(inside, m);
            }
        }
        server.end(epoch(end), TimeUnit.NANOSECONDS);
    }

    private void child(Context parent, Mark m) {
        boolean attempt = m.name().startsWith(ATTEMPT_PREFIX);
        SpanBuilder b = tracer.spanBuilder(m.name()).setParent(parent)
                .setSpanKind(attempt ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setStartTimestamp(epoch(m.startNanos()), TimeUnit.NANOSECONDS);
        if (m.detail() != null) {
            b.setAttribute(SpanAttributes.DETAIL, m.detail());
        }
        Span span = b.startSpan();
        // A stage's detail is the message of the failure that stopped it; an attempt's is its outcome.
        if (!attempt && m.detail() != null) {
            span.setStatus(StatusCode.ERROR, m.detail());
        }
        span.end(epoch(m.endNanos()), TimeUnit.NANOSECONDS);
    }

    private long epoch(long nanoTime) {
        return epochOffsetNanos + nanoTime;
    }
}
