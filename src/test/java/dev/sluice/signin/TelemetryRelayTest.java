package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.signin.telemetry.RelayStats;
import dev.sluice.signin.telemetry.RelayStats.Outcome;
import dev.sluice.testing.Http;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client telemetry through a running gateway to local collectors: the real OpenTelemetry OTLP/HTTP
 * exporters (protobuf) and hand-written OTLP/JSON, sent with a session token as Claude Code does.
 * The client always gets 200 at once; collectors get the export with the developer on every resource;
 * a failing collector trips its breaker without touching the healthy one; a hanging one is bounded by
 * its in-flight limit and deadline; unknown callers, oversize and malformed bodies go nowhere.
 */
class TelemetryRelayTest {
    static final List<String> ENG = List.of("eng");
    @TempDir
    Path data;

    private int gateways;

    private SigninHarness gateway(String telemetryYaml) {
        return SigninHarness.builder(data.resolve("gw" + ++gateways)).noIdp().signin(telemetryYaml).start();
    }

    @Test
    void theRealOtlpExportersRelayTracesMetricsAndLogsWithTheDeveloperOnEveryResource() throws Exception {
        try (TestCollector collector = new TestCollector();
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\"]}".formatted(collector.url()))) {
            String token = h.session("Dev@Corp.Example", ENG, "platform");
            Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "claude-code",
                    AttributeKey.stringKey("user.email"), "someone.else@corp.example"));
            Map<String, String> bearer = Map.of("authorization", "Bearer " + token);

            OtlpHttpSpanExporter spans = OtlpHttpSpanExporter.builder().setEndpoint(h.url() + "/v1/traces").setHeaders(() -> bearer).build();
            try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                    .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
                tracing.get("test").spanBuilder("claude_code.interaction").startSpan().end();
                assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            OtlpHttpMetricExporter metrics = OtlpHttpMetricExporter.builder().setEndpoint(h.url() + "/v1/metrics")
                    .setHeaders(() -> bearer).build();
            try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource)
                    .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(Duration.ofHours(1)).build()).build()) {
                meters.get("test").counterBuilder("claude_code.token.usage").build().add(42);
                assertThat(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            OtlpHttpLogRecordExporter logs = OtlpHttpLogRecordExporter.builder().setEndpoint(h.url() + "/v1/logs")
                    .setHeaders(() -> bearer).build();
            try (SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
                    .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build()) {
                logging.get("test").logRecordBuilder().setBody("claude_code.user_prompt").emit();
                assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            }

            // The relay answers at once and forwards in the background, so exports may arrive in any order;
            // wait for every signal, not for a count (the meter provider's shutdown export can come before the logs).
            OAuth.eventually(Duration.ofSeconds(10), () -> collector.exports().stream().map(TestCollector.Export::path)
                    .distinct().count() == 3 ? true : null);
            // Shutting the meter provider down exports once more: three or four exports, every signal among them.
            assertThat(collector.exports()).extracting(TestCollector.Export::path).hasSizeBetween(3, 4)
                    .containsOnly("/v1/traces", "/v1/metrics", "/v1/logs").contains("/v1/traces", "/v1/metrics", "/v1/logs");
            for (TestCollector.Export e : collector.exports()) {
                assertThat(e.contentType()).isEqualTo("application/x-protobuf");
                assertThat(e.resources()).isNotEmpty().allSatisfy(r -> assertThat(r)
                        .containsEntry("service.name", "claude-code")
                        .containsEntry("user.id", "dev@corp.example")
                        .containsEntry("user.email", "Dev@Corp.Example") // the client's own value is replaced
                        .containsEntry("sluice.team", "platform")
                        .containsEntry("sluice.org", "acme"));
            }
            assertThat(new String(collector.exports().stream().filter(e -> e.path().equals("/v1/traces")).findFirst()
                    .orElseThrow().body(), StandardCharsets.UTF_8)).contains("claude_code.interaction");
            RelayStats stats = h.gateway().signin().telemetryStats();
            OAuth.eventually(Duration.ofSeconds(5), () -> stats.count(Outcome.RELAYED) == collector.exports().size() ? true : null);
        }
    }

    @Test
    void otlpJsonIsRelayedAsJsonWithTheDeveloperSetAndTheRestUntouched() throws Exception {
        try (TestCollector collector = new TestCollector();
             SigninHarness h = gateway("telemetry: {collectors: [{url: \"%s\", headers: {x-collector-key: k1}}]}".formatted(collector.url()))) {
            String token = h.session("dev@corp.example", ENG, "platform");
            String body = """
                    {"resourceSpans":[
                      {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}},
                                                 {"key":"user.id","value":{"stringValue":"spoofed"}}]},
                       "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                                                "name":"tool.read","kind":1}]}]},
                      {"scopeSpans":[]}
                    ]}""";
            HttpResponse<String> r = post(h, "/v1/traces", token, "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{}");
            OAuth.eventually(Duration.ofSeconds(10), () -> collector.exports().isEmpty() ? null : true);
            TestCollector.Export e = collector.exports().getFirst();
            assertThat(e.contentType()).isEqualTo("application/json");
            assertThat(e.resources()).hasSize(2).allSatisfy(a -> assertThat(a).containsEntry("user.id", "dev@corp.example"));
            assertThat(e.resources().getFirst()).containsEntry("service.name", "claude-code");
            assertThat(Http.json(new String(e.body(), StandardCharsets.UTF_8)).at("/resourceSpans/0/scopeSpans/0/spans/0/name").asText())
                    .isEqualTo("tool.read");
        }
    }

    @Test
    void unknownCallersOversizeAndMalformedExportsAreAnswered200AndGoNowhere() throws Exception {
        try (TestCollector collector = new TestCollector();
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\"], max-body: 64KB}".formatted(collector.url()))) {
            String token = h.session("dev@corp.example", ENG, "platform");
            RelayStats stats = h.gateway().signin().telemetryStats();
            byte[] valid = {0x0a, 0x00}; // one empty ResourceSpans
            assertThat(post(h, "/v1/traces", null, "application/x-protobuf", valid).statusCode()).isEqualTo(200);
            assertThat(post(h, "/v1/traces", "sk-not-a-session", "application/x-protobuf", valid).statusCode()).isEqualTo(200);
            HttpResponse<String> big = post(h, "/v1/logs", token, "application/x-protobuf", new byte[100 * 1024]);
            assertThat(big.statusCode()).isEqualTo(200);
            byte[] junk = {0x0a, 0x7f, 0x01}; // a length running past the end
            assertThat(post(h, "/v1/metrics", token, "application/x-protobuf", junk).statusCode()).isEqualTo(200);
            assertThat(post(h, "/v1/metrics", token, "application/json", "[1,2".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            assertThat(post(h, "/v1/metrics", token, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
            HttpResponse<String> get = Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/v1/metrics")).build());
            assertThat(get.statusCode()).isEqualTo(405);

            assertThat(post(h, "/v1/traces", token, "application/x-protobuf", valid).statusCode()).isEqualTo(200);
            OAuth.eventually(Duration.ofSeconds(10), () -> stats.count(Outcome.RELAYED) == 1 ? true : null);
            assertThat(collector.exports()).hasSize(1);
            assertThat(stats.count(Outcome.UNAUTHENTICATED)).isEqualTo(2);
            assertThat(stats.count(Outcome.TOO_LARGE)).isEqualTo(1);
            assertThat(stats.count(Outcome.MALFORMED)).isEqualTo(3);
        }
    }

    @Test
    void aFailingCollectorTripsItsBreakerWhileTheHealthyOneGetsEverythingAndClientsWaitForNeither() throws Exception {
        try (TestCollector healthy = new TestCollector(); TestCollector failing = new TestCollector().mode(TestCollector.Mode.FAIL);
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\", \"%s\"], breaker-failures: 3, breaker-cooldown: 60s}"
                     .formatted(healthy.url(), failing.url()))) {
            String token = h.session("dev@corp.example", ENG, "platform");
            RelayStats stats = h.gateway().signin().telemetryStats();
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                assertThat(post(h, "/v1/metrics", token, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode()).isEqualTo(200);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("the client never waits for a collector").isLessThan(1_000);
                int sent = i + 1;
                // One at a time, so the breaker's count is exact: wait until this export's two relays are settled.
                OAuth.eventually(Duration.ofSeconds(10), () -> stats.count(Outcome.RELAYED) + stats.count(Outcome.FAILED)
                        + stats.count(Outcome.BREAKER_OPEN) == 2L * sent ? true : null);
            }
            assertThat(healthy.exports()).hasSize(10);
            assertThat(failing.exports()).as("three failures open the breaker; nothing more is sent").hasSize(3);
            assertThat(stats.count(Outcome.FAILED)).isEqualTo(3);
            assertThat(stats.count(Outcome.BREAKER_OPEN)).isEqualTo(7);
        }
    }

    @Test
    void aHangingCollectorIsBoundedByItsInFlightLimitAndDeadline() throws Exception {
        try (TestCollector hanging = new TestCollector().mode(TestCollector.Mode.HANG);
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\"], max-in-flight: 2, timeout: 1s}".formatted(hanging.url()))) {
            String token = h.session("dev@corp.example", ENG, "platform");
            RelayStats stats = h.gateway().signin().telemetryStats();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertThat(post(h, "/v1/logs", token, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode()).isEqualTo(200);
                assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
            }
            assertThat(stats.count(Outcome.BUSY)).as("two under way; the rest dropped, not queued").isEqualTo(3);
            OAuth.eventually(Duration.ofSeconds(5), () -> stats.count(Outcome.FAILED) == 2 ? true : null);
            assertThat(post(h, "/v1/logs", token, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode()).isEqualTo(200);
            OAuth.eventually(Duration.ofSeconds(5), () -> hanging.exports().size() == 3 ? true : null);
        }
    }

    /** One developer's client looping on exports is held to its rate, and another developer's still go through. */
    @Test
    void oneDevelopersFloodIsDroppedPastTheirRateAndOthersStillRelay() throws Exception {
        try (TestCollector collector = new TestCollector();
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\"], per-developer-per-minute: 60}".formatted(collector.url()))) {
            String flooder = h.session("loop@corp.example", ENG, "platform");
            String other = h.session("dev@corp.example", ENG, "platform");
            RelayStats stats = h.gateway().signin().telemetryStats();
            for (int i = 0; i < 40; i++) {
                assertThat(post(h, "/v1/logs", flooder, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode())
                        .as("the client still hears 200, as OTLP asks").isEqualTo(200);
            }
            assertThat(stats.count(Outcome.RATE_LIMITED)).as("a burst of 15 (a quarter of 60), about one more a second")
                    .isBetween(20L, 25L);
            assertThat(post(h, "/v1/logs", other, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode()).isEqualTo(200);
            long relayed = 40 - stats.count(Outcome.RATE_LIMITED) + 1;
            OAuth.eventually(Duration.ofSeconds(10), () -> collector.exports().size() == relayed ? true : null);
            assertThat(collector.exports()).as("the other developer's export among them")
                    .anySatisfy(e -> assertThat(new String(e.body(), StandardCharsets.ISO_8859_1)).contains("dev@corp.example"));
            String metrics = Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/metrics")).GET().build()).body();
            assertThat(metrics).as("the operator sees the drops").contains("sluice_signin_telemetry_exports_total{outcome=\"rate_limited\"} "
                    + stats.count(Outcome.RATE_LIMITED) + ".0");
        }
    }

    @Test
    void withoutCollectorsExportsAreDroppedAndWithoutUserAttributesRelayedAsSent() throws Exception {
        try (SigninHarness h = gateway(null)) {
            String token = h.session("dev@corp.example", ENG, "platform");
            assertThat(post(h, "/v1/traces", token, "application/x-protobuf", new byte[] {0x0a, 0x00}).statusCode()).isEqualTo(200);
            OAuth.eventually(Duration.ofSeconds(5), () -> h.gateway().signin().telemetryStats().count(Outcome.NO_COLLECTOR) == 1 ? true : null);
        }
        try (TestCollector collector = new TestCollector();
             SigninHarness h = gateway("telemetry: {collectors: [\"%s\"], user-attributes: false}".formatted(collector.url()))) {
            String token = h.session("dev@corp.example", ENG, "platform");
            byte[] body = {0x0a, 0x02, 0x0a, 0x00};
            assertThat(post(h, "/v1/traces", token, "application/x-protobuf", body).statusCode()).isEqualTo(200);
            OAuth.eventually(Duration.ofSeconds(10), () -> collector.exports().isEmpty() ? null : true);
            assertThat(collector.exports().getFirst().body()).isEqualTo(body);
        }
    }

    private static HttpResponse<String> post(SigninHarness h, String path, String bearer, String type, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        return Http.send(b.build());
    }
}
