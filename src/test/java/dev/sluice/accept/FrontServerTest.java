package dev.sluice.accept;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 manners of the front: 100-continue, keep-alive after early answers, probes, lenient paths. */
class FrontServerTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server:
              port: 0
              event-loops: 1
              body-limit: 8KB
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys: [{alias: primary, value: "${UPSTREAM_KEY}"}]
            """);

    @Test
    void aClientThatExpects100ContinueIsToldToSendItsBody() throws Exception {
        byte[] body = Http.userMessage("hi", false).getBytes(UTF_8);
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/messages", "content-length", Integer.toString(body.length), "expect", "100-continue");
            raw.setReadTimeout(5_000); // curl sends anyway after 1 s; the body must not be needed to get the 100
            assertThat(raw.readHead()).isEqualTo(100);
            raw.write(body);
            assertThat(raw.readHead()).isEqualTo(200);
            raw.readBody();
        }
        assertThat(SLUICE.recorder().received()).singleElement()
                .satisfies(r -> assertThat(r.header("expect")).as("expect forwarded upstream").isNull())
                .satisfies(r -> assertThat(r.body()).isEqualTo(body));
    }

    @Test
    void aClientThatExpects100ContinueWithAnOversizedBodyGets413WithoutSendingIt() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/messages", "content-length", Integer.toString(64 * 1024), "expect", "100-continue");
            raw.setReadTimeout(5_000);
            assertThat(raw.readHead()).isEqualTo(413);
            assertThat(raw.readBodyText()).contains("request_too_large");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anExpectationOtherThan100ContinueIsA417AtOnce() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/messages", "content-length", "100", "expect", "something-else");
            raw.setReadTimeout(5_000); // not the 10 s body timeout: the client holds its body back until it hears
            assertThat(raw.readHead()).isEqualTo(417);
            assertThat(raw.readBodyText()).contains("100-continue").contains("request_id");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/nothing", "/v1/messages/batches", "/v1/models"})
    void theConnectionStaysUsableAfterAnAnswerThatIgnoredTheBody(String firstPath) throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.post(firstPath, Http.userMessage("first", false));
            assertThat(raw.readHead()).isBetween(400, 599);
            raw.readBody();
            raw.post("/v1/messages", Http.userMessage("second", false));
            assertThat(raw.readHead()).isEqualTo(200);
            assertThat(Http.json(raw.readBodyText()).path("type").asText()).isEqualTo("message");
        }
        assertThat(SLUICE.recorder().received()).singleElement()
                .satisfies(r -> assertThat(r.bodyText()).contains("second"));
    }

    /** A refused request whose body will not come (held for a 100 Continue) must not leave its connection open. */
    @Test
    void aRefusedRequestHoldingItsBodyForAContinueEndsTheConnection() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            raw.head("POST", "/v1/nothing", "content-length", "5000", "expect", "100-continue");
            raw.setReadTimeout(5_000);
            assertThat(raw.readHead()).isEqualTo(404);
            assertThat(raw.header("connection")).isEqualToIgnoringCase("close");
            raw.readBody();
            assertThat(raw.closedWithin(1_000)).as("the next request would be read as the body that never came").isTrue();
        }
    }

    @Test
    void keepAliveCarriesManyRequestsIncludingStreams() throws Exception {
        try (RawHttp raw = RawHttp.connect(SLUICE.gatewayPort())) {
            for (int i = 0; i < 3; i++) {
                raw.post("/v1/messages", Http.userMessage("turn " + i, i % 2 == 0));
                assertThat(raw.readHead()).isEqualTo(200);
                raw.readBody();
                assertThat(raw.ended()).isTrue();
            }
        }
        assertThat(SLUICE.recorder().received()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/hello"})
    void reachabilityProbesAnswer200WithoutAKey(String path) {
        for (String method : new String[] {"HEAD", "GET"}) {
            HttpResponse<String> resp = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(resp.statusCode()).as(method + " " + path).isEqualTo(200);
        }
    }

    @Test
    void aTrailingSlashAndAQueryDoNotChangeTheRoute() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages/?beta=true", Http.userMessage("hi", false));
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getFirst().uri()).isEqualTo("/v1/messages?beta=true");
    }
}
