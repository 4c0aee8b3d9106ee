package dev.sluice.front;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request line naming a version the front does not speak ({@code HTTP/2.0} over cleartext HTTP/1 framing,
 * {@code HTTP/3.0}, a made-up protocol) gets the 505 envelope with a request id, like every other refusal, instead of
 * the HTTP layer's own bodiless 501; nothing is forwarded and the connection is closed.
 */
class UnknownHttpVersionTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "FOO/1.1", "HTTP/1.2"})
    void anUnknownVersionIsA505Envelope(String version) throws Exception {
        String body = Http.userMessage("hi", false);
        String raw = "POST /v1/messages " + version + "\r\nhost: x\r\nx-api-key: sk-sluice-test-0123456789\r\n"
                + "anthropic-version: 2023-06-01\r\ncontent-type: application/json\r\ncontent-length: " + body.length()
                + "\r\n\r\n" + body;
        try (RawHttp r = RawHttp.connect(SLUICE.gatewayPort())) {
            r.setReadTimeout(5_000);
            r.write(raw.getBytes(ISO_8859_1));
            assertThat(r.readHead()).isEqualTo(505);
            assertThat(r.statusLine()).as("answered in the version we speak, not the one asked for").startsWith("HTTP/1.1 505");
            JsonNode json = Http.json(r.readBodyText());
            assertThat(json.path("type").asText()).isEqualTo("error");
            assertThat(json.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(json.path("request_id").asText()).startsWith("req_");
            assertThat(r.closedWithin(2_000)).isTrue();
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
