package dev.sluice.config;

/**
 * Traces, metrics and logs.
 *
 * @param otlpEndpoint  OTLP/HTTP traces endpoint (e.g. {@code http://127.0.0.1:4318/v1/traces}); off when null
 * @param metrics       serve Prometheus metrics at {@code /metrics}
 * @param logContent    include prompts and completions in logs (off: logs never hold content or keys)
 */
public record TelemetryConfig(String otlpEndpoint, Boolean metrics, Boolean logContent) {
    public TelemetryConfig {
        metrics = metrics == null ? Boolean.TRUE : metrics;
        logContent = logContent == null ? Boolean.FALSE : logContent;
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(null, null, null);
    }
}
