package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.record.LedgerStats;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives four requests through a real pipeline (two answered, one refused at authentication, one whose
 * upstream is down), scrapes {@code /metrics} over HTTP and checks the series and their values.
 */
class MetricsTest {
    private static final String M = "messages";
    private static final LedgerStats LEDGER = new LedgerStats(7, true, 100, 90, 1500, 0, 1, 2, 4096, null);
    private static Telemetry telemetry;
    private static TestFront front;
    private static String scrape;
    private static Exposition metrics;

    @BeforeAll
    static void drive() {
        telemetry = Telemetry.builder(new TelemetryConfig(null, true, null, false, "off"), TestFront.TMP).ledgerStats(() -> LEDGER)
                .build();
        front = TestFront.start(telemetry);
        front.messages(TestFront.API_KEY);
        front.messages(TestFront.API_KEY);
        front.messages(TestFront.BAD_KEY);
        front.messages(TestFront.API_KEY, "x-test-upstream", "down");
        HttpResponse<String> resp = front.get("/metrics");
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        scrape = resp.body();
        metrics = Exposition.parse(scrape);
    }

    @AfterAll
    static void stop() {
        front.close();
        telemetry.close();
    }

    @Test
    void requestsAreCountedByEndpointStatusModelProviderAndCache() {
        assertThat(metrics.get("sluice_requests_total", "operation", M, "status", "200", "model", TestFront.SERVED,
                "provider", "anthropic", "cache", "bypass")).isEqualTo(2);
        assertThat(metrics.get("sluice_requests_total", "operation", M, "status", "502", "model", TestFront.SERVED,
                "provider", "anthropic", "cache", "bypass")).isEqualTo(1);
        // Refused before its body was read: no model, no provider.
        assertThat(metrics.get("sluice_requests_total", "operation", M, "status", "401", "model", "none",
                "provider", "none", "cache", "bypass")).isEqualTo(1);
        assertThat(metrics.get("sluice_errors_total", "type", "authentication_error")).isEqualTo(1);
        assertThat(metrics.get("sluice_errors_total", "type", "api_error")).isEqualTo(1);
        assertThat(metrics.get("sluice_requests_active")).isZero();
        for (String label : new String[] {"model", "provider", "team", "cache", "error_type"}) {
            assertThat(metrics.get("sluice_metric_label_overflow_total", "label", label)).as(label).isZero();
        }
    }

    @Test
    void tokensCostAndSavingsAddUpPerModelProviderAndTeam() {
        String[] spend = {"model", TestFront.SERVED, "provider", "anthropic", "team", "platform"};
        assertThat(metrics.get("sluice_tokens_total", with(spend, "kind", "input"))).isEqualTo(200);
        assertThat(metrics.get("sluice_tokens_total", with(spend, "kind", "output"))).isEqualTo(100);
        assertThat(metrics.get("sluice_tokens_total", with(spend, "kind", "cache_read"))).isEqualTo(600);
        assertThat(metrics.get("sluice_tokens_total", with(spend, "kind", "cache_write"))).isEqualTo(40);
        assertThat(metrics.get("sluice_cost_usd_total", spend)).isCloseTo(0.002468, within(1e-12));
        assertThat(metrics.get("sluice_provider_cache_savings_usd_total", spend)).isCloseTo(0.00162, within(1e-12));
        assertThat(metrics.get("sluice_gateway_cache_savings_usd_total", spend)).isCloseTo(0.001, within(1e-12));
        // The refused and the failed request cost nothing, so they made no spend series.
        assertThat(metrics.series("sluice_cost_usd_total")).hasSize(1);
    }

    @Test
    void latenciesAreHistogramsWithFixedBuckets() {
        assertHistogram("sluice_request_duration_seconds", 4, "operation", M);
        assertHistogram("sluice_gateway_latency_seconds", 4, "operation", M);
        assertHistogram("sluice_upstream_ttfb_seconds", 2, "provider", "anthropic"); // the upstream that was down never answered
        assertThat(metrics.get("sluice_gateway_latency_seconds_bucket", "operation", M, "le", "0.001")).isBetween(0.0, 4.0);
        assertThat(metrics.get("sluice_upstream_ttfb_seconds_sum", "provider", "anthropic")).isGreaterThanOrEqualTo(0.004); // 2 ms each
    }

    @Test
    void ledgerHealthIsReadAtScrapeTime() {
        assertThat(metrics.get("sluice_ledger_queue_depth")).isEqualTo(7);
        assertThat(metrics.get("sluice_ledger_flush_lag_seconds")).isEqualTo(1.5);
        assertThat(metrics.get("sluice_ledger_backlog")).isEqualTo(1);
        assertThat(metrics.get("sluice_ledger_journal_bytes")).isEqualTo(4096);
        assertThat(metrics.get("sluice_ledger_dropped_total")).isZero();
        assertThat(metrics.get("sluice_ledger_rejected_total")).isEqualTo(1);
        assertThat(metrics.get("sluice_ledger_written_total")).isEqualTo(90);
    }

    @Test
    void noSeriesCarriesAUserARequestIdOrAKey() {
        assertThat(metrics.allLabels().values()).allSatisfy(labels -> {
            assertThat(labels).doesNotContainKeys("user", "user_id", "request_id", "key", "key_alias", "session");
            assertThat(labels.values()).noneMatch(v -> v.contains("alice") || v.startsWith("req_") || v.startsWith("sk-"));
        });
        assertThat(scrape).doesNotContain(TestFront.API_KEY).doesNotContain(TestFront.PROMPT);
    }

    @Test
    void openMetricsIsServedWhenAsked() {
        HttpResponse<String> resp = front.get("/metrics", "accept", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
        assertThat(resp.headers().firstValue("content-type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(resp.body()).contains("sluice_requests_total").endsWith("# EOF\n");
    }

    /**
     * Debian's {@code promtool} (package prometheus) lints the scrape. Under CI ({@code CI} set, where
     * {@code .ci/run} installs it) a missing promtool fails the test; elsewhere it is skipped.
     */
    @Test
    void promtoolAcceptsTheScrape() throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        if (System.getenv("CI") != null) {
            assertThat(Files.isExecutable(promtool)).as("promtool must be installed under CI (apt-get install prometheus)").isTrue();
        }
        assumeTrue(Files.isExecutable(promtool), "promtool not installed (apt-get install prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Micrometer's own JVM binders draw two naming lints (process_cpu_time_ns_total, system_cpu_count);
        // parse errors and any finding on our series fail the test.
        List<String> ours = out.lines().filter(l -> l.startsWith("sluice_") || l.contains("error")).toList();
        assertThat(ours).as("promtool findings:\n" + out).isEmpty();
    }

    private static void assertHistogram(String name, long count, String label, String value) {
        assertThat(metrics.get(name + "_count", label, value)).isEqualTo(count);
        assertThat(metrics.get(name + "_sum", label, value)).isPositive();
        List<Map.Entry<Map<String, String>, Double>> buckets = metrics.series(name + "_bucket").stream()
                .filter(e -> value.equals(e.getKey().get(label)))
                .sorted(Comparator.comparingDouble(e -> Double.parseDouble(e.getKey().get("le").replace("+Inf", "Infinity"))))
                .toList();
        assertThat(buckets).hasSizeGreaterThan(8);
        double previous = 0;
        for (Map.Entry<Map<String, String>, Double> b : buckets) {
            assertThat(b.getValue()).as("cumulative bucket le=" + b.getKey().get("le")).isGreaterThanOrEqualTo(previous);
            previous = b.getValue();
        }
        assertThat(buckets.getLast().getKey().get("le")).isEqualTo("+Inf");
        assertThat(previous).isEqualTo(count);
    }

    private static String[] with(String[] pairs, String k, String v) {
        String[] out = Arrays.copyOf(pairs, pairs.length + 2);
        out[pairs.length] = k;
        out[pairs.length + 1] = v;
        return out;
    }

    /** With a token set, loopback callers show it too: behind a reverse proxy on the same host, everyone is loopback. */
    @Test
    void aMetricsTokenIsAskedOfLoopbackCallersToo() {
        Telemetry guarded = Telemetry.builder(new TelemetryConfig(null, true, "scrape-token-123", false, "off"), TestFront.TMP)
                .ledgerStats(() -> LEDGER).build();
        TestFront f = TestFront.start(guarded);
        try {
            HttpResponse<String> bare = f.get("/metrics");
            assertThat(bare.statusCode()).isEqualTo(401);
            assertThat(bare.body()).contains("metrics-token");
            assertThat(f.get("/metrics", "authorization", "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(f.get("/metrics", "authorization", "Bearer scrape-token-123").statusCode()).isEqualTo(200);
        } finally {
            f.close();
            guarded.close();
        }
    }
}
