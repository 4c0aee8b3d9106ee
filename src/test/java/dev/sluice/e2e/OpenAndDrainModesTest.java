package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sim.BilledUsage;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Await;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Open local mode (no gateway keys, no upstream key: the caller's own credential goes through) and
 * drain mode (a client that leaves mid-stream does not stop the upstream, so the bill is exact).
 */
class OpenAndDrainModesTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
            streaming:
              on-client-disconnect: drain
            """);

    @Test
    void inOpenModeTheCallersOwnKeyGoesUpstream() {
        HttpResponse<String> resp = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("x-api-key", "sk-ant-callers-own-key").header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        ReceivedRequest got = SLUICE.recorder().received().getFirst();
        assertThat(got.header("x-api-key")).isEqualTo("sk-ant-callers-own-key");
        assertThat(got.header("authorization")).isNull();
    }

    @Test
    void inOpenModeABearerTokenGoesUpstreamToo() {
        HttpResponse<String> resp = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("authorization", "Bearer sk-ant-oauth-token").header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getFirst().header("authorization")).isEqualTo("Bearer sk-ant-oauth-token");
    }

    @Test
    void inOpenModeAMissingCredentialIsTheUpstreamsAnswer() {
        HttpResponse<String> resp = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/messages"))
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.userMessage("hi", false))).build());
        assertThat(resp.statusCode()).isEqualTo(401);
        assertThat(Http.json(resp.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(SLUICE.recorder().received()).hasSize(1);
    }

    @Test
    void inDrainModeAClientThatLeavesDoesNotStopTheUpstream() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post("/v1/messages", Http.userMessage("leave early", true), "x-api-key", "sk-ant-own",
                    "x-sim-event-gap-ms", "50", "x-sim-output-tokens", "12");
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(raw.nextEvent().name()).isEqualTo("message_start");
        }
        BilledUsage billed = Await.until(Duration.ofSeconds(5),
                () -> SLUICE.recorder().billed().isEmpty() ? null : SLUICE.recorder().billed().getFirst(),
                () -> "the simulator to finish the stream");
        assertThat(billed.outcome()).isEqualTo(BilledUsage.Outcome.COMPLETED);
        assertThat(billed.outputTokens()).isEqualTo(12);
    }
}
