package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.Http;
import dev.sluice.testing.RecordingRelay;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * The real Claude Code CLI in its Bedrock mode ({@code CLAUDE_CODE_USE_BEDROCK=1}, the gateway's key as
 * {@code AWS_BEARER_TOKEN_BEDROCK}) through the gateway's Bedrock door to the simulated Anthropic upstream. A relay
 * between the CLI and the gateway keeps each call and its answer, so the test reads the event stream the CLI got
 * (decoded and CRC-checked by the AWS SDK's own codec) and each call's ledger records.
 */
class BedrockModeCliTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    /** One call through the relay: what was asked and what came back. */
    record Call(String method, String path, int status, Map<String, String> headers, byte[] answer) {
    }

    @Test
    void streamedToolLoopInBedrockModeIsServedBilledAndRecorded(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path file = work.resolve("hello.txt");
        Files.writeString(file, "periwinkle\n");
        List<Call> calls = new ArrayList<>();
        ClaudeCli.Result result;
        try (RecordingRelay relay = new RecordingRelay(SLUICE.gatewayPort(), (req, body, resp, answer) -> {
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            resp.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
            synchronized (calls) {
                calls.add(new Call(req.method().name(), req.path(), resp.statusCode(), h, answer.getBytes()));
            }
        })) {
            result = ClaudeCli.run(bin, work, Files.createDirectories(tmp.resolve("home")), env(relay.url(), SluiceHarness.GATEWAY_KEY),
                    Duration.ofSeconds(120), "-p", "Read the file " + file + " and tell me what it says", "--allowedTools", "Read");
        }
        StringBuilder seen = new StringBuilder(result.toString());
        calls.forEach(c -> seen.append('\n').append(c.method()).append(' ').append(c.path()).append(" -> ").append(c.status())
                .append(' ').append(c.headers().get("content-type")).append(' ').append(c.headers().get("x-amzn-ErrorType")));

        assertThat(result.exitCode()).as(seen.toString()).isZero();
        assertThat(result.stdout()).as(seen.toString()).contains("periwinkle");
        assertThat(SLUICE.recorder().received()).as("the simulator saw the tool result").anySatisfy(r ->
                assertThat(r.bodyText()).contains("\"tool_result\"").contains("periwinkle"));

        // Claude Code tries a system-role message first and falls back when the API refuses it: that refusal reached it
        // in Bedrock's envelope, which it read as the 400 it is.
        assertThat(calls).filteredOn(c -> c.status() >= 400).allSatisfy(c -> {
            assertThat(c.headers().get("x-amzn-ErrorType")).isEqualTo("ValidationException");
            assertThat(Http.json(new String(c.answer(), UTF_8)).path("message").asText()).contains("system");
        });
        assertThat(calls).filteredOn(c -> c.path().equals("/bedrock/inference-profiles")).first()
                .satisfies(c -> assertThat(Http.json(new String(c.answer(), UTF_8)).path("inferenceProfileSummaries")
                        .findValuesAsText("inferenceProfileId")).contains("us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
        List<Call> streams = calls.stream().filter(c -> c.path().endsWith("/invoke-with-response-stream") && c.status() == 200).toList();
        assertThat(streams).as("a streamed turn asking for Read and one answering with the file: " + seen).hasSizeGreaterThanOrEqualTo(2);
        Meter meter = new Meter(PriceTable.builtIn());
        for (Call c : streams) {
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.headers().get("content-type")).isEqualTo("application/vnd.amazon.eventstream");
            List<String> events = chunks(c.answer());
            assertThat(events.getFirst()).contains("\"type\":\"message_start\"");
            assertThat(events.getLast()).contains("\"type\":\"message_stop\"").contains("\"amazon-bedrock-invocationMetrics\"");
            JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), c.headers().get("request-id"), 1);
            JsonNode attempt = records.path("attempts").get(0);
            JsonNode metrics = Http.json(events.getLast()).path("amazon-bedrock-invocationMetrics");
            assertThat(metrics.path("outputTokenCount").asLong()).isEqualTo(attempt.path("usage").path("output_tokens").asLong());
            assertThat(metrics.path("inputTokenCount").asLong()).isEqualTo(attempt.path("usage").path("input_tokens").asLong());
            String model = attempt.path("served_model").asText();
            BigDecimal expected = meter.cost(model, GatewayCalls.usage(attempt)).usd();
            assertThat(new BigDecimal(records.path("cost_usd").asText())).isEqualByComparingTo(expected).isPositive();
        }
        assertThat(streams).anySatisfy(c -> assertThat(String.join("\n", chunks(c.answer()))).contains("\"tool_use\"").contains("\"Read\""));
        // The quota probe is a whole answer: it carries its cost, which is what the ledger holds.
        Call probe = calls.stream().filter(c -> c.path().endsWith("/invoke") && c.status() == 200).findFirst().orElseThrow();
        JsonNode probeRecords = GatewayCalls.records(SLUICE.gatewayUrl(), probe.headers().get("request-id"), 1);
        assertThat(probe.headers().get("x-sluice-cost-usd")).isEqualTo(probeRecords.path("cost_usd").asText());
        assertThat(new BigDecimal(probe.headers().get("x-sluice-cost-usd"))).isPositive();
        List<BilledUsage> billed = SLUICE.recorder().billed();
        assertThat(billed).extracting(BilledUsage::outcome).contains(BilledUsage.Outcome.COMPLETED);
    }

    @Test
    void skippingBedrockAuthWithTheKeyInACustomHeaderWorksToo(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        Map<String, String> env = new java.util.HashMap<>(env(SLUICE.gatewayUrl(), "unused"));
        env.remove("AWS_BEARER_TOKEN_BEDROCK");
        env.put("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1");
        env.put("ANTHROPIC_CUSTOM_HEADERS", "x-api-key: " + SluiceHarness.GATEWAY_KEY);
        ClaudeCli.Result result = ClaudeCli.run(bin, Files.createDirectories(tmp.resolve("work")),
                Files.createDirectories(tmp.resolve("home")), env, Duration.ofSeconds(60), "-p", "Say hello");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).isNotBlank();
        assertThat(SLUICE.recorder().received()).isNotEmpty();
    }

    @Test
    void aRejectedKeyIsShownAndNotRetried(@TempDir Path tmp) throws Exception {
        List<String> posts = new ArrayList<>();
        ClaudeCli.Result result = runNotingPosts(tmp, url -> env(url, "sk-sluice-revoked"), posts);
        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        // The CLI's own words for a 401 in Bedrock mode; the message with what to use instead is in the body (BedrockDoorTest).
        assertThat(result.stdout() + result.stderr()).as(result.toString()).contains("Not logged in");
        assertThat(posts).as("each POST made once").doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).endsWith(" 401 UnrecognizedClientException"));
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    /**
     * The CLI holding AWS credentials (so it signs every call with SigV4) and the gateway's key in a custom
     * {@code x-api-key} header, without {@code CLAUDE_CODE_SKIP_BEDROCK_AUTH}: the key is good, the signature is what the
     * door refuses, and the refusal must reach the CLI as a refused credential it reports at once, not as a denied model
     * it answers by trying every other model it knows (attack round 29: a 403 kept it going past 90 s).
     */
    @Test
    void aSignedCallWithAGoodKeyIsRefusedOnceAsACredentialNotRetriedModelByModel(@TempDir Path tmp) throws Exception {
        List<String> posts = new ArrayList<>();
        ClaudeCli.Result result = runNotingPosts(tmp, url -> Map.of(
                "CLAUDE_CODE_USE_BEDROCK", "1",
                "ANTHROPIC_BEDROCK_BASE_URL", url + "/bedrock",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLESLUICE00",
                "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "AWS_REGION", "us-east-1",
                "ANTHROPIC_CUSTOM_HEADERS", "x-api-key: " + SluiceHarness.GATEWAY_KEY,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_AUTOUPDATER", "1"), posts);
        String seen = result + "\n" + String.join("\n", posts);
        assertThat(result.exitCode()).as(seen).isNotZero();
        assertThat(posts).as(seen).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).endsWith(" 401 UnrecognizedClientException"));
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    /** Runs "Say hello" through a relay that notes each POST's path, status and {@code x-amzn-ErrorType} in {@code posts}. */
    private static ClaudeCli.Result runNotingPosts(Path tmp, java.util.function.Function<String, Map<String, String>> envFor,
                                                   List<String> posts) throws Exception {
        Path bin = ClaudeCli.require();
        try (RecordingRelay relay = new RecordingRelay(SLUICE.gatewayPort(), (req, body, resp, answer) -> {
            synchronized (posts) {
                if (req.method().name().equals("POST")) {
                    posts.add(req.path() + " " + resp.statusCode() + " " + resp.getHeader("x-amzn-ErrorType"));
                }
            }
        })) {
            return ClaudeCli.run(bin, Files.createDirectories(tmp.resolve("work")), Files.createDirectories(tmp.resolve("home")),
                    envFor.apply(relay.url()), Duration.ofSeconds(60), "-p", "Say hello");
        }
    }

    /** The Anthropic events inside an event stream, each frame checked (lengths, both CRCs) by the AWS SDK's decoder. */
    static List<String> chunks(byte[] stream) {
        List<Message> frames = new ArrayList<>();
        new MessageDecoder(frames::add).feed(stream);
        List<String> out = new ArrayList<>();
        for (Message m : frames) {
            assertThat(m.getHeaders().get(":message-type").getString()).isEqualTo("event");
            assertThat(m.getHeaders().get(":event-type").getString()).isEqualTo("chunk");
            JsonNode payload = Http.json(new String(m.getPayload(), UTF_8));
            out.add(new String(Base64.getDecoder().decode(payload.path("bytes").asText()), UTF_8));
        }
        return out;
    }

    static Map<String, String> env(String baseUrl, String key) {
        return Map.of(
                "CLAUDE_CODE_USE_BEDROCK", "1",
                "ANTHROPIC_BEDROCK_BASE_URL", baseUrl + "/bedrock",
                "AWS_BEARER_TOKEN_BEDROCK", key,
                "AWS_REGION", "us-east-1",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                "DISABLE_AUTOUPDATER", "1");
    }
}
