package dev.sluice.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK, wired for one job: batch finished spans and post them as OTLP/HTTP protobuf.
 * The batch processor's queue is bounded; when the collector is slow or gone, new spans are dropped
 * (and counted by the SDK) rather than queued without limit or waited for on an event loop.
 */
final class Tracing implements AutoCloseable {
    static final String SCOPE = "dev.sluice";
    private static final int QUEUE = 8192;
    private static final int BATCH = 512;
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN = Duration.ofSeconds(5);

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final WatchedExporter exporter;

    private Tracing(SdkTracerProvider provider, WatchedExporter exporter) {
        this.provider = provider;
        this.tracer = provider.get(SCOPE);
        this.exporter = exporter;
    }

    /** Exports to an OTLP/HTTP traces endpoint such as {@code http://127.0.0.1:4318/v1/traces}. */
    static Tracing otlp(String endpoint, String serviceName) {
        Objects.requireNonNull(endpoint, "endpoint");
        WatchedExporter exporter = new WatchedExporter(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build(), endpoint);
        BatchSpanProcessor batch = BatchSpanProcessor.builder(exporter)
                .setMaxQueueSize(QUEUE).setMaxExportBatchSize(BATCH).setScheduleDelay(DELAY).build();
        Resource resource = Resource.getDefault().merge(
                Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        // Parent-based: a caller that sampled its trace out (traceparent flags 00) gets no spans from us either.
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.alwaysOn())).addSpanProcessor(batch).build();
        return new Tracing(provider, exporter);
    }

    /** Spans the collector took, and spans it could not be given (refused, unreachable, timed out). */
    WatchedExporter exporter() {
        return exporter;
    }

    Tracer tracer() {
        return tracer;
    }

    /** Exports every span ended so far; true when the export finished within the timeout. */
    boolean flush(Duration timeout) {
        return provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Exports what is queued (waiting at most a few seconds), then stops the export thread. */
    @Override
    public void close() {
        provider.shutdown().join(SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
    }
}
