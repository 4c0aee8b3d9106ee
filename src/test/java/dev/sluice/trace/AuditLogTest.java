package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.TelemetryConfig;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit line of requests through a real pipeline, read back from the audit file the gateway writes. */
class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Telemetry quiet;
    private static Telemetry verbose;
    private static TestFront front;
    private static TestFront contentFront;

    @BeforeAll
    static void start() {
        quiet = Telemetry.builder(new TelemetryConfig(null, false, null, false, dir.resolve("quiet.jsonl").toString()), dir).build();
        verbose = Telemetry.builder(new TelemetryConfig(null, false, null, true, dir.resolve("verbose.jsonl").toString()), dir).build();
        front = TestFront.start(quiet);
        contentFront = TestFront.start(verbose);
    }

    @AfterAll
    static void stop() {
        front.close();
        contentFront.close();
        quiet.close();
        verbose.close();
    }

    @Test
    void oneLinePerRequestWithItsFactsAndNeitherKeyNorContent() throws Exception {
        int before = count("quiet.jsonl");
        front.messages(TestFront.API_KEY, "x-claude-code-session-id", "sess-42");

        String line = lineAfter("quiet.jsonl", before);
        JsonNode kv = JSON.readTree(line);
        assertThat(kv.get("route").asText()).isEqualTo("POST /v1/messages");
        assertThat(kv.get("status").asInt()).isEqualTo(200);
        assertThat(kv.get("attempts").asInt()).isEqualTo(1);
        assertThat(text(kv, "key_alias", "user", "team", "org", "tag.project", "session", "client", "model_requested",
                "model_served", "provider", "upstream", "upstream_key_alias", "cache")).containsExactly("alice-laptop", "alice",
                "platform", "acme", "apollo", "sess-42", "claude-cli/2.1.330 (external, cli)", TestFront.MODEL, TestFront.SERVED,
                "anthropic", "primary", "prod-1", "bypass");
        assertThat(kv.get("input_tokens").asLong()).isEqualTo(100);
        assertThat(kv.get("output_tokens").asLong()).isEqualTo(50);
        assertThat(kv.get("cache_read_tokens").asLong()).isEqualTo(300);
        assertThat(kv.get("cache_write_tokens").asLong()).isEqualTo(20);
        assertThat(kv.get("cost_usd").decimalValue()).isEqualByComparingTo("0.001234");
        assertThat(kv.get("provider_cache_savings_usd").decimalValue()).isEqualByComparingTo("0.00081");
        assertThat(kv.get("stream").asBoolean()).isFalse();
        assertThat(kv.has("request_id") && kv.has("latency_ms") && kv.has("ttfb_ms") && kv.has("gateway_ms") && kv.has("hmac")).isTrue();
        assertThat(kv.has("error_type") || kv.has("request_body") || kv.has("response_body")).isFalse();
        assertThat(kv.get("request_id").asText()).startsWith("req_");
        assertThat(line).doesNotContain(TestFront.API_KEY).doesNotContain(TestFront.PROMPT).doesNotContain(TestFront.COMPLETION);
    }

    @Test
    void aRefusedRequestIsLoggedWithItsErrorType() throws Exception {
        int before = count("quiet.jsonl");
        front.messages(TestFront.BAD_KEY);

        String line = lineAfter("quiet.jsonl", before);
        JsonNode kv = JSON.readTree(line);
        assertThat(kv.get("status").asInt()).isEqualTo(401);
        assertThat(kv.get("error_type").asText()).isEqualTo("authentication_error");
        assertThat(kv.get("attempts").asInt()).isZero();
        assertThat(kv.has("key_alias") || kv.has("model_served") || kv.has("provider")).isFalse();
        assertThat(line).doesNotContain(TestFront.BAD_KEY).doesNotContain(TestFront.PROMPT);
    }

    @Test
    void contentLoggingAddsTheBodiesButStillNoKey() throws Exception {
        int before = count("verbose.jsonl");
        contentFront.messages(TestFront.API_KEY);

        String line = lineAfter("verbose.jsonl", before);
        JsonNode kv = JSON.readTree(line);
        assertThat(kv.get("request_body").asText()).isEqualTo(TestFront.BODY);
        assertThat(kv.get("response_body").asText()).isEqualTo(TestFront.RESPONSE);
        assertThat(line).contains(TestFront.PROMPT).doesNotContain(TestFront.API_KEY);
    }

    @Test
    void bodiesAreCutAt64KiB() {
        Buffer big = Buffer.buffer("x".repeat(AuditLog.CONTENT_LIMIT + 1000));
        assertThat(AuditLog.text(big)).hasSize(AuditLog.CONTENT_LIMIT + "...[1000 more bytes]".length())
                .endsWith("...[1000 more bytes]");
        assertThat(AuditLog.text(Buffer.buffer("short"))).isEqualTo("short");
        assertThat(AuditLog.text((Buffer) null)).isNull();
    }

    private static List<String> text(JsonNode kv, String... names) {
        return java.util.Arrays.stream(names).map(n -> kv.has(n) ? kv.get(n).asText() : null).toList();
    }

    private static int count(String file) throws Exception {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    }

    /** The one line written after the file had {@code before} lines, waiting for the writer thread. */
    private static String lineAfter(String file, int before) throws Exception {
        Path p = dir.resolve(file);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of();
            if (lines.size() > before) {
                assertThat(lines).hasSize(before + 1);
                return lines.getLast();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no new audit line in " + p);
    }
}
