package dev.sluice.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.RawHttp;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request limits (issue 12), the ones the HTTP layer enforces and the ones the front adds: conflicting or doubled
 * lengths (request smuggling), unknown transfer codings, header floods, a missing Host, deep JSON. Each is refused
 * with an envelope that carries a request id, nothing reaches the upstream, and the connection is not reused for
 * bytes whose framing is in doubt.
 */
class RequestLimitsTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    private static final String BODY = Http.userMessage("hi", false);
    private static final String AUTH = "x-api-key: sk-sluice-test-0123456789\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n";
    private static final String CHUNKED = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";

    /** Sends raw bytes; asserts the status, the envelope with the head's request id, and that nothing was forwarded. */
    private static JsonNode refused(String raw, int status, String type) throws Exception {
        try (RawHttp r = RawHttp.connect(SLUICE.gatewayPort())) {
            r.setReadTimeout(5_000);
            r.write(raw.getBytes(ISO_8859_1));
            assertThat(r.readHead()).as(raw.substring(0, Math.min(60, raw.length()))).isEqualTo(status);
            JsonNode body = Http.json(r.readBodyText());
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).isEqualTo(type);
            assertThat(body.path("request_id").asText()).startsWith("req_").isEqualTo(r.header("request-id"));
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.closedWithin(2_000)).isTrue();
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
        return null;
    }

    private static String post(String headers, String body) {
        return "POST /v1/messages HTTP/1.1\r\nhost: x\r\n" + AUTH + headers + "\r\n" + body;
    }

    @Test
    void conflictingOrDoubledLengthsAndUnknownCodingsAreRefused() throws Exception {
        refused(post("content-length: 5\r\ntransfer-encoding: chunked\r\n", CHUNKED), 400, "invalid_request_error");
        refused(post("transfer-encoding: chunked\r\ncontent-length: " + BODY.length() + "\r\n", CHUNKED), 400, "invalid_request_error");
        refused(post("content-length: " + BODY.length() + "\r\ncontent-length: 3\r\n", BODY), 400, "invalid_request_error");
        refused(post("content-length: " + BODY.length() + ", " + BODY.length() + "\r\n", BODY), 400, "invalid_request_error");
        refused(post("transfer-encoding: xchunked\r\n", CHUNKED), 400, "invalid_request_error");
        refused(post("transfer-encoding : chunked\r\n", CHUNKED), 400, "invalid_request_error");
        refused(post("transfer-encoding: identity\r\ncontent-length: " + BODY.length() + "\r\n", BODY), 400, "invalid_request_error");
        refused(post("content-length: -1\r\n", BODY), 400, "invalid_request_error");
        refused(post("content-length: " + BODY.length() + "\r\n", BODY).replace("\r\n", "\n"), 400, "invalid_request_error");
    }

    @Test
    void aHeaderFloodWithinTheSizeLimitIsRefusedByCount() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            many.append("x-h").append(i).append(": v\r\n");
        }
        refused(post(many + "content-length: " + BODY.length() + "\r\n", BODY), 431, "invalid_request_error");
        // A Claude-Code-sized head (30 headers and some custom ones) is fine.
        StringBuilder some = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            some.append("x-custom-").append(i).append(": v\r\n");
        }
        try (RawHttp r = RawHttp.connect(SLUICE.gatewayPort())) {
            r.write(post(some + "content-length: " + BODY.length() + "\r\n", BODY).getBytes(ISO_8859_1));
            assertThat(r.readHead()).isEqualTo(200);
        }
    }

    @Test
    void anOpenAiClientsRefusalsComeInOpenAisEnvelope() throws Exception {
        String chat = "{\"model\":\"claude-sonnet-4-5-20250929\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String head = "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer sk-sluice-test-0123456789\r\n"
                + "content-type: application/json\r\n";
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            many.append("x-h").append(i).append(": v\r\n");
        }
        refusedOpenAi(head + many + "content-length: " + chat.length() + "\r\n\r\n" + chat, 431);
        // A head the HTTP layer itself refuses (a length next to chunked coding) on the same path: OpenAI's shape too.
        refusedOpenAi(head + "content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n" + Integer.toHexString(chat.length())
                + "\r\n" + chat + "\r\n0\r\n\r\n", 400);
    }

    /** OpenAI's envelope: {@code {"error":{"message","type","param","code"}}}, no Anthropic {@code "type":"error"}. */
    private static void refusedOpenAi(String raw, int status) throws Exception {
        try (RawHttp r = RawHttp.connect(SLUICE.gatewayPort())) {
            r.setReadTimeout(5_000);
            r.write(raw.getBytes(ISO_8859_1));
            assertThat(r.readHead()).isEqualTo(status);
            JsonNode body = Http.json(r.readBodyText());
            assertThat(body.has("type")).as(body.toString()).isFalse();
            assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(body.path("error").has("param")).isTrue();
            assertThat(r.header("request-id")).startsWith("req_");
            assertThat(r.closedWithin(2_000)).isTrue();
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anHttp11RequestWithoutExactlyOneHostIsRefused() throws Exception {
        refused(post("content-length: " + BODY.length() + "\r\n", BODY).replace("host: x\r\n", ""), 400, "invalid_request_error");
        refused(post("host: y\r\ncontent-length: " + BODY.length() + "\r\n", BODY), 400, "invalid_request_error");
    }

    /**
     * Refused before its body was read (attack round 14): the rest of the body is never read, so the connection must
     * not carry a next request. The refusal used to lose its {@code connection: close} (the error path reset the
     * headers after setting it) and the connection stayed open, so a client that reused it waited behind the unread
     * body until the idle timeout closed it without an answer.
     */
    @Test
    void aRefusalMadeBeforeTheBodyWasReadClosesTheConnection() throws Exception {
        // A client that waits for 100 Continue and never gets it: its body is still unsent.
        refused(post("expect: 100-continue\r\ncontent-length: 40000000\r\n", ""), 413, "request_too_large");
        // A wrong key with the body still arriving: the 401 is the whole answer.
        refused(post("content-length: 1000\r\n", BODY.substring(0, 10)).replace("sk-sluice-test-0123456789", "sk-wrong"), 401,
                "authentication_error");
    }

    @Test
    void overlongLinesAndHeadsAreRefusedByTheHttpLayer() throws Exception {
        refused("GET /v1/models?" + "a".repeat(17_000) + " HTTP/1.1\r\nhost: x\r\n\r\n", 414, "invalid_request_error");
        refused("GET /v1/models HTTP/1.1\r\nhost: x\r\nx-big: " + "b".repeat(70_000) + "\r\n\r\n", 431, "invalid_request_error");
    }

    @Test
    void deepJsonIsRefusedBeforeAnythingIsForwarded() {
        String deep = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":" + "[".repeat(300) + "]".repeat(300) + "}]}";
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", deep);
        assertThat(resp.statusCode()).isEqualTo(400);
        ErrorPathsTest.assertEnvelope(resp, "invalid_request_error");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
