package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VertexDecoderTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = VertexDecoderTest.class.getResourceAsStream("/providers/vertex/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void streamPassesThroughByteForByteWithUsage() throws Exception {
        byte[] sse = fixture("stream-text.sse");
        VertexDecoder decoder = new VertexDecoder();
        List<SseEvent> out = new ArrayList<>();
        for (int i = 0; i < sse.length; i += 17) {
            decoder.chunk(Buffer.buffer(Arrays.copyOfRange(sse, i, Math.min(sse.length, i + 17))), out);
        }
        decoder.end(out);
        Buffer all = Buffer.buffer();
        out.forEach(e -> all.appendBytes(e.raw()));
        assertThat(all.getBytes()).isEqualTo(sse);
        assertThat(decoder.report().usage()).isEqualTo(new Usage(25, 6, 0, 8192, 0, 0, 0, 0));
        assertThat(decoder.report().complete()).isTrue();
    }

    /** An error event inside a stream is scrubbed like an error body (it was relayed verbatim, project and all). */
    @Test
    void anInStreamErrorEventIsScrubbedAndABenignOnePassesAsItCame() throws Exception {
        String leaky = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":"
                + "\"Internal error in projects/acme-secret-prod-4711 for svc@acme-secret.iam.gserviceaccount.com\"}}\n\n";
        String benign = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}\n\n";
        VertexDecoder decoder = new VertexDecoder();
        List<SseEvent> out = new ArrayList<>();
        decoder.chunk(Buffer.buffer(leaky + benign), out);
        assertThat(out).hasSize(2);
        String first = new String(out.get(0).raw());
        assertThat(first).doesNotContain("acme-secret").doesNotContain("projects/").doesNotContain("gserviceaccount");
        JsonNode tree = Json.MAPPER.readTree(first.substring(first.indexOf('{')));
        assertThat(tree.at("/error/type").asText()).isEqualTo("api_error");
        assertThat(tree.at("/error/message").asText()).isEqualTo("Vertex AI failed to serve the request");
        assertThat(out.get(1).raw()).isEqualTo(benign.getBytes());
        assertThat(decoder.report().errorType()).as("the last error event's type").isEqualTo("overloaded_error");
    }

    @Test
    void googlePermissionErrorIsMappedAndScrubbed() throws Exception {
        VertexDecoder decoder = new VertexDecoder();
        String out = decoder.body(403, Buffer.buffer(fixture("error-permission-denied.json"))).toString();
        JsonNode tree = Json.MAPPER.readTree(out);
        assertThat(tree.at("/type").asText()).isEqualTo("error");
        assertThat(tree.at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(out).doesNotContain("acme-prod-4711").doesNotContain("projects/");
        assertThat(decoder.report().errorType()).isEqualTo("permission_error");
    }

    @Test
    void quotaErrorInAnArrayIsARateLimitWithItsMessage() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(new VertexDecoder().body(429, Buffer.buffer(fixture("error-quota.json"))).getBytes());
        assertThat(tree.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(tree.at("/error/message").asText()).startsWith("Quota exceeded for aiplatform.googleapis.com");
    }

    @Test
    void promptTooLongIsRelayedVerbatim() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(new VertexDecoder().body(400, Buffer.buffer(fixture("error-prompt-too-long.json"))).getBytes());
        assertThat(tree.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(tree.at("/error/message").asText()).isEqualTo("prompt is too long: 215321 tokens > 200000 maximum");
    }

    @Test
    void htmlErrorPageFallsBackToTheStatus() throws Exception {
        JsonNode tree = Json.MAPPER.readTree(new VertexDecoder().body(503, Buffer.buffer("<html>upstream</html>")).getBytes());
        assertThat(tree.at("/error/type").asText()).isEqualTo("overloaded_error");
    }
}
