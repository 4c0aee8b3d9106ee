package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.models.messages.Message;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.Exchange;
import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.sim.VertexSim;
import dev.sluice.wire.Json;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vertex adapter against the simulated Vertex: service-account tokens from the simulator's token endpoint. */
class VertexAgainstSimTest {
    private static SimServer sim;
    private static VertexTokens tokens;

    @BeforeAll
    static void start() throws Exception {
        sim = Exchange.await(SimServer.start(Exchange.VERTX, SimOptions.defaults().withInstances(1).withMinCacheableTokens(16)));
        String json = VertexSim.serviceAccountJson(sim.baseUrl(), "acme");
        tokens = VertexTokens.ofCredentialsJson(json.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        Exchange.await(sim.close());
    }

    private static VertexTarget target() {
        return new VertexTarget(URI.create(sim.baseUrl()), "acme", "us-east5", "claude-sonnet-4-5@20250929");
    }

    private static MultiMap client() {
        return MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
                .add("anthropic-version", "2023-06-01").add("x-api-key", "sk-client-secret");
    }

    @Test
    void serviceAccountStreamKeepsBetasAndCacheControlWithExactUsage() throws Exception {
        String original;
        try (InputStream in = getClass().getResourceAsStream("/providers/bedrock/request-cache-control.json")) {
            original = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        for (int turn = 0; turn < 2; turn++) {
            String token = Exchange.await(tokens.token(Exchange.VERTX));
            VertexDecoder decoder = new VertexDecoder();
            Exchange ex = Exchange.send(sim.port(), VertexRequests.build(target(), Operation.MESSAGES, RequestBody.of(original), true,
                    client(), token), decoder, null);
            assertThat(ex.status).isEqualTo(200);
            Message m = ex.message();
            assertThat(m.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
            BilledUsage b = sim.recorder().billed().getLast();
            assertThat(decoder.report().usage()).isEqualTo(new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(),
                    b.cacheReadInputTokens(), b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0));
            if (turn == 1) {
                assertThat(b.cacheReadInputTokens()).isPositive();
            }
            assertThat(b.upstreamKey()).startsWith("ya29.sim-");
        }
        ReceivedRequest r = sim.recorder().received().getLast();
        assertThat(r.header("anthropic-beta")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
        assertThat(r.header("x-api-key")).isNull();
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("messages")).isEqualTo(Json.MAPPER.readTree(original).get("messages"));
        assertThat(r.uri()).isEqualTo("/v1/projects/acme/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
    }

    @Test
    void nonStreamAndCountTokensWithAGivenToken() throws Exception {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
        VertexDecoder decoder = new VertexDecoder();
        Exchange ex = Exchange.send(sim.port(), VertexRequests.build(target(), Operation.MESSAGES, RequestBody.of(body), false, client(),
                VertexSim.STATIC_TOKEN), decoder, null);
        assertThat(ex.status).isEqualTo(200);
        assertThat(ex.bodyMessage().content()).isNotEmpty();
        int billedInput = sim.recorder().billed().getLast().totalInputTokens();
        Exchange count = Exchange.send(sim.port(), VertexRequests.build(target(), Operation.COUNT_TOKENS,
                RequestBody.of("{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"),
                false, client(), VertexSim.STATIC_TOKEN), new VertexDecoder(), null);
        assertThat(Json.MAPPER.readTree(count.body.getBytes()).get("input_tokens").asInt()).isEqualTo(billedInput);
    }

    @Test
    void upstreamFacadeFetchesTheTokenAndMapsTheModel() {
        VertexUpstream upstream = new VertexUpstream(URI.create(sim.baseUrl()), "acme", "global", tokens, null);
        var call = Exchange.await(upstream.call(Exchange.VERTX, Operation.MESSAGES, RequestBody.of(
                "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                false, client(), "claude-haiku-4-5"));
        Exchange ex = Exchange.send(sim.port(), call, upstream.decoder(), null);
        assertThat(ex.status).isEqualTo(200);
        assertThat(sim.recorder().received().getLast().uri())
                .isEqualTo("/v1/projects/acme/locations/global/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict");
    }

    @Test
    void aBadTokenIsGooglesUnauthenticatedAsAnAuthenticationError() throws Exception {
        VertexDecoder decoder = new VertexDecoder();
        Exchange ex = Exchange.send(sim.port(), VertexRequests.build(target(), Operation.MESSAGES,
                RequestBody.of("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), false, client(),
                "ya29.forged"), decoder, null);
        assertThat(ex.status).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(ex.body.getBytes()).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(decoder.report().errorType()).isEqualTo("authentication_error");
    }
}
