package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Operation;
import dev.sluice.provider.bedrock.BedrockDecoder;
import dev.sluice.provider.vertex.VertexDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cloud statuses in Anthropic's terms, as the attempt loop asks the decoder once it has read an error body. */
class StatusMappingTest {
    @ParameterizedTest(name = "Bedrock {0} {1} -> {2}")
    @CsvSource({
            "503, ServiceUnavailableException, 529",
            "424, ModelErrorException, 500",
            "408, ModelTimeoutException, 504",
            "429, ThrottlingException, 429",
            "400, ValidationException, 400",
            "403, AccessDeniedException, 403",
            "500, InternalServerException, 500"})
    void bedrock(int status, String exception, int expected) {
        BedrockDecoder d = new BedrockDecoder(Operation.MESSAGES);
        d.head(status, MultiMap.caseInsensitiveMultiMap().add("x-amzn-ErrorType", exception + ":http://internal.amazon.com/coral/"));
        d.body(status, Buffer.buffer("{\"message\":\"something\"}"));
        assertThat(d.clientStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "Vertex {0} {1} -> {2}")
    @CsvSource({"503, UNAVAILABLE, 529", "504, DEADLINE_EXCEEDED, 504", "429, RESOURCE_EXHAUSTED, 429", "403, PERMISSION_DENIED, 403"})
    void vertex(int status, String googleStatus, int expected) {
        VertexDecoder d = new VertexDecoder();
        d.body(status, Buffer.buffer("{\"error\":{\"code\":" + status + ",\"message\":\"m\",\"status\":\"" + googleStatus + "\"}}"));
        assertThat(d.clientStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "a 2xx is left alone: {0}")
    @CsvSource({"200", "201"})
    void successIsUntouched(int status) {
        BedrockDecoder d = new BedrockDecoder(Operation.MESSAGES);
        d.head(status, MultiMap.caseInsensitiveMultiMap());
        d.body(status, Buffer.buffer("{\"type\":\"message\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"));
        assertThat(d.clientStatus(status)).isEqualTo(status);
    }
}
