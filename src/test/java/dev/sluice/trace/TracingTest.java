package dev.sluice.trace;

import static dev.sluice.trace.OtlpReceiver.ReceivedSpan.KIND_CLIENT;
import static dev.sluice.trace.OtlpReceiver.ReceivedSpan.KIND_INTERNAL;
import static dev.sluice.trace.OtlpReceiver.ReceivedSpan.KIND_SERVER;
import static dev.sluice.trace.OtlpReceiver.ReceivedSpan.STATUS_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.trace.OtlpReceiver.ReceivedSpan;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spans exported over real OTLP/HTTP to an in-process receiver, decoded from protobuf and checked. */
class TracingTest {
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static OtlpReceiver receiver;
    private static Telemetry telemetry;
    private static TestFront front;

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        telemetry = Telemetry.builder(new TelemetryConfig(receiver.endpoint(), false, null, false, "off"), TestFront.TMP).build();
        front = TestFront.start(telemetry);
    }

    @AfterAll
    static void stop() {
        front.close();
        telemetry.close();
        receiver.close();
    }

    @Test
    void requestIsAServerSpanInTheCallersTraceWithAChildPerStageAndAttempt() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        long before = System.currentTimeMillis();
        HttpResponse<String> resp = front.messages(TestFront.API_KEY,
                "traceparent", "00-" + traceId + "-" + callerSpan + "-01", "x-claude-code-session-id", "sess-42");
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(telemetry.flush(FLUSH)).isTrue();

        List<ReceivedSpan> trace = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
        ReceivedSpan server = only(trace.stream().filter(s -> s.kind() == KIND_SERVER).toList());
        assertThat(server.name()).isEqualTo("POST /v1/messages");
        assertThat(server.parentSpanId()).isEqualTo(callerSpan);
        assertThat(server.statusCode()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(server.startEpochNanos())).isBetween(before - 1000, System.currentTimeMillis());
        assertThat(server.resource()).containsEntry("service.name", "sluice");

        List<ReceivedSpan> children = trace.stream().filter(s -> s != server).toList();
        assertThat(children).extracting(ReceivedSpan::name)
                .containsExactlyInAnyOrder("latch", "authenticate", "inspect", "route", "upstream attempt 1");
        for (ReceivedSpan child : children) {
            assertThat(child.parentSpanId()).as(child.name()).isEqualTo(server.spanId());
            assertThat(child.kind()).as(child.name()).isEqualTo(child.name().startsWith("upstream") ? KIND_CLIENT : KIND_INTERNAL);
            assertThat(child.startEpochNanos()).as(child.name()).isBetween(server.startEpochNanos(), child.endEpochNanos());
            assertThat(child.endEpochNanos()).as(child.name()).isLessThanOrEqualTo(server.endEpochNanos());
        }
        ReceivedSpan attempt = children.stream().filter(s -> s.kind() == KIND_CLIENT).findFirst().orElseThrow();
        assertThat(attempt.endEpochNanos() - attempt.startEpochNanos()).isGreaterThanOrEqualTo(1_000_000); // the 2 ms upstream
        assertThat(attempt.attributes()).containsEntry("sluice.detail", "primary status 200");

        assertThat(server.attributes()).contains(
                entry("gen_ai.system", "anthropic"),
                entry("gen_ai.operation.name", "chat"),
                entry("gen_ai.request.model", TestFront.MODEL),
                entry("gen_ai.response.model", TestFront.SERVED),
                entry("gen_ai.request.max_tokens", 1024L),
                entry("gen_ai.usage.input_tokens", 420L), // 100 plain + 20 cache writes + 300 cache reads
                entry("gen_ai.usage.output_tokens", 50L),
                entry("gen_ai.usage.cache_read.input_tokens", 300L),
                entry("gen_ai.usage.cache_creation.input_tokens", 20L),
                entry("sluice.user", "alice"),
                entry("sluice.team", "platform"),
                entry("sluice.org", "acme"),
                entry("sluice.key_alias", "alice-laptop"),
                entry("sluice.tag.project", "apollo"),
                entry("sluice.session", "sess-42"),
                entry("sluice.cost_usd", 0.001234),
                entry("sluice.cache", "bypass"),
                entry("sluice.attempts", 1L),
                entry("sluice.upstream_key_alias", "prod-1"),
                entry("http.response.status_code", 200L));
        assertThat(server.attributes()).doesNotContainKey("error.type");
        assertThat((Double) server.attributes().get("sluice.gateway_ms")).isBetween(0.0, 1000.0);
        assertThat(server.attributes().values()).allSatisfy(v -> assertThat(String.valueOf(v))
                .doesNotContain(TestFront.API_KEY).doesNotContain(TestFront.PROMPT));
        assertThat(receiver.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
    }

    @Test
    void failedRequestIsAnErrorSpanOfItsOwnTrace() {
        HttpResponse<String> resp = front.messages(TestFront.BAD_KEY);
        assertThat(resp.statusCode()).isEqualTo(401);
        String requestId = resp.headers().firstValue("request-id").orElseThrow();
        assertThat(telemetry.flush(FLUSH)).isTrue();

        ReceivedSpan server = only(receiver.spans().stream()
                .filter(s -> requestId.equals(s.attributes().get("sluice.request_id"))).toList());
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(server.statusMessage()).isEqualTo("authentication_error");
        assertThat(server.attributes()).contains(entry("error.type", "authentication_error"),
                entry("http.response.status_code", 401L), entry("sluice.attempts", 0L));

        List<ReceivedSpan> children = receiver.spans().stream().filter(s -> s.parentSpanId().equals(server.spanId())).toList();
        assertThat(children).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("latch", "authenticate");
        ReceivedSpan auth = children.stream().filter(s -> s.name().equals("authenticate")).findFirst().orElseThrow();
        assertThat(auth.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(auth.statusMessage()).isEqualTo("invalid x-api-key");
    }

    @Test
    void callerThatSampledItsTraceOutGetsNoSpans() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        front.messages(TestFront.API_KEY, "traceparent", "00-" + traceId + "-b7ad6b7169203331-00");
        assertThat(telemetry.flush(FLUSH)).isTrue();
        assertThat(receiver.spans()).noneMatch(s -> s.traceId().equals(traceId));
    }

    @Test
    void anUnreachableCollectorIsCountedNotSilent() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TelemetryConfig config = new TelemetryConfig("http://127.0.0.1:" + closed + "/v1/traces", true, null, false, "off");
        try (Telemetry gone = Telemetry.builder(config, TestFront.TMP).build(); TestFront f = TestFront.start(gone)) {
            assertThat(f.messages(TestFront.API_KEY).statusCode()).isEqualTo(200);
            gone.flush(FLUSH); // fails: nothing listens
            Exposition m = Exposition.parse(f.get("/metrics").body());
            assertThat(m.get("sluice_trace_spans_failed_total")).isPositive();
            assertThat(m.get("sluice_trace_spans_exported_total")).isZero();
        }
    }

    @Test
    void withoutAnEndpointNothingIsTraced() {
        try (Telemetry off = Telemetry.builder(new TelemetryConfig(null, false, null, false, "off"), TestFront.TMP).build()) {
            assertThat(off.tracing()).isFalse();
            assertThat(off.routes()).isEmpty();
            assertThat(off.flush(FLUSH)).isTrue();
        }
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans) {
        assertThat(spans).hasSize(1);
        return spans.getFirst();
    }
}
