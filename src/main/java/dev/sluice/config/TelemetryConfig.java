package dev.sluice.config;

/**
 * Traces, metrics and the audit log.
 *
 * @param otlpEndpoint  OTLP/HTTP traces endpoint (e.g. {@code http://127.0.0.1:4318/v1/traces}); off when null
 * @param metrics       serve Prometheus metrics at {@code /metrics}
 * @param metricsToken  bearer token {@code /metrics} asks of every caller, loopback included (a reverse proxy on
 *                      the same host makes outside callers look local); without one, only loopback callers may
 *                      scrape (metrics name teams and models)
 * @param logContent    include prompts and completions in the audit log (off: it never holds content or keys)
 * @param auditLog      where the audit log goes: a file path (default {@code audit.jsonl} in the data
 *                      directory), {@code stdout}, or {@code off}
 */
public record TelemetryConfig(String otlpEndpoint, Boolean metrics, String metricsToken, Boolean logContent,
                              String auditLog) {
    public TelemetryConfig {
        metrics = metrics == null ? Boolean.TRUE : metrics;
        logContent = logContent == null ? Boolean.FALSE : logContent;
        metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken;
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "TelemetryConfig[otlpEndpoint=" + otlpEndpoint + ", metrics=" + metrics + ", metricsToken="
                + (metricsToken == null ? "none" : "<redacted>") + ", logContent=" + logContent + ", auditLog=" + auditLog + "]";
    }
}
