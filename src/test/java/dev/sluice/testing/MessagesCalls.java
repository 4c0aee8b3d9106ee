package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Messages calls to a test gateway for the reconciliation tests: a whole answer, a stream read to its end, a stream
 * the client leaves early, and the demo's Claude-Code-shaped body. The base URL is read per call, since a test may
 * restart its gateway.
 */
public final class MessagesCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Supplier<String> baseUrl;

    public MessagesCalls(HttpClient http, Supplier<String> baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public HttpResponse<String> send(ObjectNode body, Map<String, String> headers) throws Exception {
        return http.send(request(body, headers), HttpResponse.BodyHandlers.ofString());
    }

    public String readAll(ObjectNode body, Map<String, String> headers) throws Exception {
        return send(body, headers).body();
    }

    /** Reads the first bytes of a slow stream, then closes the connection. */
    public void hangUpEarly(ObjectNode body) throws Exception {
        HttpResponse<InputStream> r = http.send(request(body, Map.of("x-sim-tokens-per-second", "60",
                "x-sim-output-tokens", "30")), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertThat(in.read(new byte[64])).isPositive();
        }
    }

    private HttpRequest request(ObjectNode body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.get() + "/v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(b::header);
        return b.build();
    }

    /** The demo's Claude Code request body, a fresh copy. */
    public static ObjectNode claudeCodeBody() throws Exception {
        try (InputStream in = MessagesCalls.class.getResourceAsStream("/demo/claude-code-request.json")) {
            return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
