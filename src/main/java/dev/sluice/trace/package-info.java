/**
 * Telemetry: an OpenTelemetry trace, Prometheus meters and one audit log line per request.
 *
 * <h2>Everything happens once, at completion</h2>
 * A single {@link dev.sluice.trace.TelemetryStage} sits at the head of the pipeline, so its
 * {@code onComplete} runs last, after settle and record have filled the exchange with usage, cost and
 * status. Nothing is measured while the request is in flight: the pipeline and the forwarder already
 * write a timeline of stages and upstream attempts on the exchange ({@code Exchange.timeline()}), and
 * the trace is replayed from it with explicit timestamps. The request path therefore carries no span
 * objects, no context propagation and no extra clock reads.
 *
 * <h2>Keeping the gateway under a millisecond</h2>
 * <ul>
 *   <li>Tracing off (no {@code otlpEndpoint}): no tracer exists and the stage has no span writer.</li>
 *   <li>Tracing on: spans go to a {@code BatchSpanProcessor} with a bounded queue; export runs on its
 *       own thread, and a full queue drops spans rather than block an event loop.</li>
 *   <li>Meters are cached per label set in concurrent maps, so a request costs a few map lookups and
 *       adder increments. Label values are capped per label ({@link dev.sluice.trace.BoundedLabel}),
 *       so a client inventing model names cannot grow the series count without bound; what a cap turned
 *       away is counted ({@code sluice_metric_label_overflow_total{label}}).</li>
 *   <li>{@code /metrics} is rendered on a worker thread, never on an event loop.</li>
 * </ul>
 *
 * <h2>A tamper-evident audit log</h2>
 * {@link dev.sluice.trace.AuditWriter} chains every line to the one before with HMAC-SHA256 under a secret
 * {@link dev.sluice.trace.AuditKey} (a plain hash chain from a public start can be recomputed by anyone who can
 * write the file), and records the line count and last value outside the file in an
 * {@link dev.sluice.trace.AuditAnchor}, since no chain shows lines cut from its end.
 * {@link dev.sluice.trace.AuditChain} verifies both; {@link dev.sluice.trace.AuditResume} makes a restart refuse a
 * log that no longer matches its anchor rather than anchor the damage afresh.
 *
 * <h2>What never leaves the gateway</h2>
 * No header value is read except {@code traceparent}/{@code tracestate}, the user agent and the session
 * header, so keys cannot reach a span, a metric or a log line. Prompts and completions appear only in the
 * audit log and only when {@code telemetry.logContent} is true.
 */
package dev.sluice.trace;
