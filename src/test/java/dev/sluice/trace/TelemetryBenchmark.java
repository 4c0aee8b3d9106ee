package dev.sluice.trace;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.pipeline.Exchange;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What the completion work costs per request, for each observer alone: CPU time and bytes allocated per
 * call, replaying the completion of one real exchange (taken from a request through {@link TestFront}).
 * The audit line is measured up to the appender (a no-op appender here), since the console is I/O.
 * Not a unit test; run it by hand:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.trace.TelemetryBenchmark [iterations]
 * </pre>
 */
public final class TelemetryBenchmark {
    private TelemetryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        java.nio.file.Path auditDir = java.nio.file.Files.createTempDirectory("sluice-audit-bench");
        java.nio.file.Path auditFile = auditDir.resolve("audit.jsonl");
        try (OtlpReceiver receiver = new OtlpReceiver();
             Telemetry telemetry = Telemetry.builder(new TelemetryConfig(receiver.endpoint(), true, null, false, "off"), TestFront.TMP).build()) {
            Exchange ex;
            try (TestFront front = TestFront.start(telemetry)) {
                front.messages(TestFront.API_KEY, "x-claude-code-session-id", "sess-42");
                ex = front.lastExchange();
            }
            Tracing tracing = Tracing.otlp(receiver.endpoint(), "bench");
            run("metrics", telemetry.metrics().observer(), ex, n);
            run("spans (batch export)", new SpanWriter(tracing.tracer()), ex, n / 4);
            try (AuditWriter writer = AuditWriter.toFile(auditFile)) {
                run("audit line (encode+hand-over)", new AuditLog(false, writer), ex, n);
            }
            for (String f : new String[] {"audit.jsonl", "audit.jsonl.anchor", AuditKey.FILE}) {
                java.nio.file.Files.deleteIfExists(auditDir.resolve(f));
            }
            java.nio.file.Files.delete(auditDir);
            tracing.close();
            telemetry.flush(Duration.ofSeconds(5));
        }
        TestFront.VERTX.close();
    }

    private static void run(String name, ExchangeObserver o, Exchange ex, int n) {
        for (int i = 0; i < n / 4; i++) {
            o.observe(ex); // warm-up
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes0 = mx.getCurrentThreadAllocatedBytes();
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            o.observe(ex);
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        long bytes = mx.getCurrentThreadAllocatedBytes() - bytes0;
        System.out.printf("%-22s %8.2f us/request  %7d bytes/request%n", name, cpu / 1e3 / n, bytes / n);
    }
}
