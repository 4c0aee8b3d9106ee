package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.TelemetryConfig;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The {@code sluice.audit} line of requests through a real pipeline, captured and rendered as the JSON log format does. */
class AuditLogTest {
    private static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private static Logger audit;
    private static Telemetry quiet;
    private static Telemetry verbose;
    private static TestFront front;
    private static TestFront contentFront;

    @BeforeAll
    static void start() {
        audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        captured.start();
        audit.addAppender(captured);
        audit.setAdditive(false);
        quiet = Telemetry.builder(new TelemetryConfig(null, false, false)).build();
        verbose = Telemetry.builder(new TelemetryConfig(null, false, true)).build();
        front = TestFront.start(quiet);
        contentFront = TestFront.start(verbose);
    }

    @AfterAll
    static void stop() {
        audit.detachAppender(captured);
        audit.setAdditive(true);
        front.close();
        contentFront.close();
        quiet.close();
        verbose.close();
    }

    @BeforeEach
    void clear() {
        captured.list.clear();
    }

    @Test
    void oneLinePerRequestWithItsFactsAndNeitherKeyNorContent() throws Exception {
        front.messages(TestFront.API_KEY, "x-claude-code-session-id", "sess-42");

        ILoggingEvent event = onlyEvent();
        Map<String, Object> kv = keyValues(event);
        assertThat(kv).containsEntry("endpoint", "/v1/messages").containsEntry("status", 200).containsEntry("attempts", 1)
                .containsEntry("key_alias", "alice-laptop").containsEntry("user", "alice").containsEntry("team", "platform")
                .containsEntry("org", "acme").containsEntry("tag.project", "apollo").containsEntry("session", "sess-42")
                .containsEntry("client", "claude-cli/2.1.330 (external, cli)")
                .containsEntry("model_requested", TestFront.MODEL).containsEntry("model_served", TestFront.SERVED)
                .containsEntry("provider", "anthropic").containsEntry("upstream", "primary")
                .containsEntry("upstream_key_alias", "prod-1")
                .containsEntry("input_tokens", 100L).containsEntry("output_tokens", 50L)
                .containsEntry("cache_read_tokens", 300L).containsEntry("cache_write_tokens", 20L)
                .containsEntry("cost_usd", "0.001234000").containsEntry("provider_cache_savings_usd", "0.000810000")
                .containsEntry("cache", "miss").containsEntry("stream", false)
                .containsKeys("request_id", "latency_ms", "ttfb_ms", "gateway_ms")
                .doesNotContainKeys("error_type", "request_body", "response_body");
        assertThat((String) kv.get("request_id")).startsWith("req_");

        String line = json(event);
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode node = new ObjectMapper().readTree(line);
        assertThat(node.get("loggerName").asText()).isEqualTo("sluice.audit");
        assertThat(kvp(node, "team")).isEqualTo("platform");
        assertThat(kvp(node, "cost_usd")).isEqualTo("0.001234000");
        assertThat(line).doesNotContain(TestFront.API_KEY).doesNotContain(TestFront.PROMPT).doesNotContain(TestFront.COMPLETION);
    }

    @Test
    void aRefusedRequestIsLoggedWithItsErrorType() {
        front.messages(TestFront.BAD_KEY);

        Map<String, Object> kv = keyValues(onlyEvent());
        assertThat(kv).containsEntry("status", 401).containsEntry("error_type", "authentication_error")
                .containsEntry("attempts", 0).containsEntry("model_requested", TestFront.MODEL)
                .doesNotContainKeys("key_alias", "model_served", "provider");
        assertThat(json(onlyEvent())).doesNotContain(TestFront.BAD_KEY).doesNotContain(TestFront.PROMPT);
    }

    @Test
    void contentLoggingAddsTheBodiesButStillNoKey() {
        contentFront.messages(TestFront.API_KEY);

        Map<String, Object> kv = keyValues(onlyEvent());
        assertThat(kv).containsEntry("request_body", TestFront.BODY).containsEntry("response_body", TestFront.RESPONSE);
        assertThat(json(onlyEvent())).contains(TestFront.PROMPT).doesNotContain(TestFront.API_KEY);
    }

    @Test
    void bodiesAreCutAt64KiB() {
        Buffer big = Buffer.buffer("x".repeat(AuditLog.CONTENT_LIMIT + 1000));
        assertThat(AuditLog.text(big)).hasSize(AuditLog.CONTENT_LIMIT + "...[1000 more bytes]".length())
                .endsWith("...[1000 more bytes]");
        assertThat(AuditLog.text(Buffer.buffer("short"))).isEqualTo("short");
        assertThat(AuditLog.text(null)).isNull();
    }

    private static ILoggingEvent onlyEvent() {
        assertThat(captured.list).hasSize(1);
        return captured.list.getFirst();
    }

    private static Map<String, Object> keyValues(ILoggingEvent event) {
        Map<String, Object> kv = new HashMap<>();
        for (KeyValuePair p : event.getKeyValuePairs()) {
            assertThat(kv.put(p.key, p.value)).as("duplicate key " + p.key).isNull();
        }
        return kv;
    }

    /** The event as {@code logback-json.xml} writes it. */
    private static String json(ILoggingEvent event) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.start();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private static String kvp(JsonNode line, String key) {
        for (JsonNode pair : line.get("kvpList")) {
            if (pair.has(key)) {
                return pair.get(key).asText();
            }
        }
        throw new AssertionError("no " + key + " in " + line);
    }
}
