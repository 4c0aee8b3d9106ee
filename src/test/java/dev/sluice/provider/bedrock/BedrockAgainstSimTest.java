package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.Exchange;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.sim.BedrockSim;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Bedrock adapter against the simulated Bedrock: SigV4 verified there, the binary event stream decoded here. */
class BedrockAgainstSimTest {
    private static SimServer sim;
    private static final BedrockAuth.SigV4 KEYS = new BedrockAuth.SigV4(BedrockSim.ACCESS_KEY_ID, BedrockSim.SECRET_ACCESS_KEY, null);
    private static final String MODEL = ClaudeModelIds.builtIn().bedrock("claude-sonnet-4-5-20250929", "us");
    private final BedrockRequests requests = new BedrockRequests(Clock.systemUTC());

    @BeforeAll
    static void start() {
        sim = Exchange.await(SimServer.start(Exchange.VERTX, SimOptions.defaults().withInstances(1).withMinCacheableTokens(16)));
    }

    @AfterAll
    static void stop() {
        Exchange.await(sim.close());
    }

    @BeforeEach
    void clear() {
        sim.recorder().clear();
        sim.clearPromptCache();
    }

    private BedrockTarget target(BedrockAuth auth) {
        return new BedrockTarget(URI.create(sim.baseUrl()), "us-east-1", MODEL, auth);
    }

    private static MultiMap client() {
        return MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "claude-code-20250219,extended-cache-ttl-2025-04-11")
                .add("anthropic-version", "2023-06-01");
    }

    private static Usage billed(BilledUsage b) {
        return new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(), b.cacheReadInputTokens(),
                b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0);
    }

    @Test
    void signedStreamWithCacheControlAndBetasIntactAndExactUsage() throws Exception {
        String original = Fixtures.text("/providers/bedrock/request-cache-control.json");
        for (int turn = 0; turn < 2; turn++) {
            BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
            UpstreamCall call = requests.build(target(KEYS), Operation.MESSAGES, RequestBody.of(original), true, client());
            Exchange ex = Exchange.send(sim.port(), call, decoder, null);
            assertThat(ex.status).isEqualTo(200);
            assertThat(ex.headers.get("content-type")).isEqualTo(BedrockRequests.EVENT_STREAM);
            assertThat(ex.events).extracting(SseEvent::type).doesNotContain("ping", "error").endsWith("message_stop");
            Message message = ex.message();
            assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
            assertThat(decoder.report().complete()).isTrue();
            BilledUsage billed = sim.recorder().billed().getLast();
            assertThat(decoder.report().usage()).isEqualTo(billed(billed));
            if (turn == 1) {
                assertThat(billed.cacheReadInputTokens()).as("second turn reads the prefix cached by the first").isPositive();
            }
        }
        ReceivedRequest received = sim.recorder().received().getLast();
        JsonNode body = Json.MAPPER.readTree(received.body());
        JsonNode in = Json.MAPPER.readTree(original);
        assertThat(body.get("messages")).isEqualTo(in.get("messages")); // cache_control on tool_use and tool_result intact
        assertThat(body.at("/messages/1/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(body.at("/messages/2/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(body.at("/system/1/cache_control/ttl").asText()).isEqualTo("1h");
        assertThat(body.get("anthropic_beta").toString()).isEqualTo("[\"claude-code-20250219\",\"extended-cache-ttl-2025-04-11\"]");
        assertThat(received.uri()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
    }

    @Test
    void aWrongSecretIsRefusedByTheSimulatorsSignatureCheck() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        UpstreamCall call = requests.build(target(new BedrockAuth.SigV4(BedrockSim.ACCESS_KEY_ID, "not-the-secret", null)),
                Operation.MESSAGES, RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                false, client());
        Exchange ex = Exchange.send(sim.port(), call, decoder, null);
        assertThat(ex.status).isEqualTo(403);
        decoder.head(ex.headers);
        JsonNode error = Json.MAPPER.readTree(decoder.body(ex.status, Exchange.await(io.vertx.core.Future.succeededFuture(
                io.vertx.core.buffer.Buffer.buffer("{\"message\":\"x\"}")))).getBytes());
        assertThat(ex.headers.get("x-amzn-ErrorType")).startsWith("InvalidSignatureException");
        assertThat(error.at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(decoder.report().errorType()).isEqualTo("authentication_error");
    }

    @Test
    void apiKeyNonStreamAndCountTokens() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        Exchange ex = Exchange.send(sim.port(), requests.build(target(new BedrockAuth.ApiKey("ABSKc2x1aWNlLXRlc3Q=")),
                Operation.MESSAGES, RequestBody.of(body), false, client()), decoder, null);
        assertThat(ex.status).isEqualTo(200);
        assertThat(ex.bodyMessage().content()).isNotEmpty();
        assertThat(decoder.report().usage()).isEqualTo(billed(sim.recorder().billed().getLast()));
        assertThat(sim.recorder().billed().getLast().upstreamKey()).isEqualTo("ABSKc2x1aWNlLXRlc3Q=");

        BedrockDecoder counter = new BedrockDecoder(Operation.COUNT_TOKENS);
        Exchange count = Exchange.send(sim.port(), requests.build(target(KEYS), Operation.COUNT_TOKENS,
                RequestBody.of("{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}"),
                false, client()), counter, null);
        assertThat(count.status).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(count.body.getBytes()).get("input_tokens").asInt())
                .isEqualTo(sim.recorder().billed().getLast().totalInputTokens());
    }

    @Test
    void midStreamExceptionFrameIsACanonicalErrorEvent() throws Exception {
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        Exchange ex = Exchange.send(sim.port(), requests.build(target(KEYS), Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"m\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), true, client()),
                decoder, MultiMap.caseInsensitiveMultiMap().add("x-sim-fault", "error-event:3"));
        assertThat(ex.events.getLast().type()).isEqualTo("error");
        assertThat(Json.MAPPER.readTree(ex.events.getLast().data()).at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(decoder.report().complete()).isFalse();
    }

    @Test
    void eventsThreeHundredMillisecondsApartStayApart() {
        // Warm up first (class loading on either side of a cold first frame would shorten the first gap).
        Exchange.send(sim.port(), requests.build(target(KEYS), Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), true, client()),
                new BedrockDecoder(Operation.MESSAGES), null);
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        Exchange ex = Exchange.send(sim.port(), requests.build(target(KEYS), Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"m\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), true, client()),
                decoder, MultiMap.caseInsensitiveMultiMap().add("x-sim-event-gap-ms", "300").add("x-sim-output-tokens", "3"));
        List<Long> t = ex.arrivalMillis;
        assertThat(t.size()).isGreaterThanOrEqualTo(6);
        // Each event leaves when its frame arrives: never two at once. (The simulator's ping slot sends nothing on
        // Bedrock, which sends no pings, so one gap is two slots long.)
        for (int i = 1; i < t.size(); i++) {
            long gap = t.get(i) - t.get(i - 1);
            assertThat(gap).as("gap before event " + i + " " + t).isBetween(220L, 700L);
        }
    }

    @Test
    void upstreamFacadeMapsTheModelPerAttempt() {
        BedrockUpstream upstream = new BedrockUpstream(URI.create(sim.baseUrl()), "us-east-1", "us", KEYS, null, null);
        UpstreamCall call = Exchange.await(upstream.call(Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                false, client(), "claude-haiku-4-5"));
        Exchange ex = Exchange.send(sim.port(), call, upstream.decoder(Operation.MESSAGES), null);
        assertThat(ex.status).isEqualTo(200);
        assertThat(sim.recorder().received().getLast().uri()).isEqualTo("/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke");
        assertThat(ex.bodyMessage().model().asString()).isEqualTo("claude-haiku-4-5-20251001");
    }

    @Test
    void bedrockRefusesAnUnadaptedBody() throws Exception {
        // Sent without the adaptation (model and stream still in), as a careless gateway would.
        UpstreamCall good = requests.build(target(new BedrockAuth.ApiKey("ABSKx")), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}"), false, client());
        UpstreamCall raw = new UpstreamCall(good.method(), good.pathAndQuery(), good.headers(), io.vertx.core.buffer.Buffer.buffer(
                "{\"anthropic_version\":\"bedrock-2023-05-31\",\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        BedrockDecoder decoder = new BedrockDecoder(Operation.MESSAGES);
        Exchange ex = Exchange.send(sim.port(), raw, decoder, null);
        assertThat(ex.status).as(ex.body.toString()).isEqualTo(400);
        assertThat(ex.body.toString()).contains("extraneous key [model]").contains("invalid_request_error");
    }
}
