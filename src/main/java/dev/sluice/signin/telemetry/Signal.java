package dev.sluice.signin.telemetry;

/** The three OTLP signals Claude Code exports, with their paths and their resource-list names in OTLP/JSON. */
public enum Signal {
    METRICS("metrics", "resourceMetrics", "resource_metrics"),
    LOGS("logs", "resourceLogs", "resource_logs"),
    TRACES("traces", "resourceSpans", "resource_spans");

    private final String name;
    private final String jsonField;
    private final String protoField;

    Signal(String name, String jsonField, String protoField) {
        this.name = name;
        this.jsonField = jsonField;
        this.protoField = protoField;
    }

    /** {@code /v1/metrics}, {@code /v1/logs}, {@code /v1/traces}: the same on the gateway and on a collector. */
    public String path() {
        return "/v1/" + name;
    }

    public String label() {
        return name;
    }

    /** The field name OTLP/JSON uses (lowerCamelCase). */
    String jsonField() {
        return jsonField;
    }

    /** The proto field name, which some encoders write instead. */
    String protoField() {
        return protoField;
    }
}
