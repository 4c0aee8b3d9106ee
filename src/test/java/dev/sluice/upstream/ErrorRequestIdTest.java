package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A relayed error names the gateway's request id, whether the upstream's envelope carried an id of its own or none. */
class ErrorRequestIdTest {
    @Test
    void theUpstreamsIdIsReplacedAndKeptAside() {
        ErrorRequestId r = ErrorRequestId.ours(Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"x\"},\"request_id\":\"req_upstream_1\"}"), "req_gw_1");
        assertThat(Http.json(r.body().toString()).path("request_id").asText()).isEqualTo("req_gw_1");
        assertThat(r.upstream()).isEqualTo("req_upstream_1");
    }

    @Test
    void anEnvelopeWithoutAnIdGetsOurs() {
        ErrorRequestId r = ErrorRequestId.ours(Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"bad\"}}\n"), "req_gw_2");
        assertThat(Http.json(r.body().toString()).path("request_id").asText()).isEqualTo("req_gw_2");
        assertThat(Http.json(r.body().toString()).path("error").path("message").asText()).isEqualTo("bad");
        assertThat(r.upstream()).isNull();
        assertThat(Http.json(ErrorRequestId.ours(Buffer.buffer(" { } "), "req_gw_3").body().toString()).path("request_id").asText())
                .isEqualTo("req_gw_3");
    }

    @Test
    void somethingThatIsNotAJsonObjectIsLeftAsItIs() {
        Buffer html = Buffer.buffer("<html>502</html>");
        assertThat(ErrorRequestId.ours(html, "req_gw_4").body()).isSameAs(html);
        Buffer array = Buffer.buffer("[1,2]");
        assertThat(ErrorRequestId.ours(array, "req_gw_5").body()).isSameAs(array);
    }
}
