package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** OpenAI's envelope: {@code param} and {@code code} for the gateway's own refusals and for upstreams' errors. */
class OpenAiErrorBodyTest {
    private static JsonNode own(ApiError e) throws Exception {
        return Json.MAPPER.readTree(OpenAiErrorBody.json(e.type(), e.getMessage())).path("error");
    }

    private static JsonNode refusal(String body) throws Exception {
        try {
            ChatCompletionsRequest.translate(body.getBytes(StandardCharsets.UTF_8));
        } catch (ApiError e) {
            return own(e);
        }
        throw new AssertionError("accepted: " + body);
    }

    private static void assertError(JsonNode error, String param, String code) {
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").isNull() ? null : error.path("param").asText()).as(error.toString()).isEqualTo(param);
        assertThat(error.path("code").isNull() ? null : error.path("code").asText()).as(error.toString()).isEqualTo(code);
    }

    @Test
    void aRefusalNamesItsParamAndSaysWhatKindOfRefusalItIs() throws Exception {
        String m = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertError(refusal("{\"model\":\"m\"," + m + ",\"seed\":1}"), "seed", "unsupported_parameter");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"functions\":[]}"), "functions", "unsupported_parameter");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"reasoning_effort\":\"extreme\"}"), "reasoning_effort", "unsupported_value");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"modalities\":[\"audio\"]}"), "modalities", "unsupported_value");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"stream\":\"yes\"}"), "stream", "invalid_type");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"tools\":\"x\"}"), "tools", "invalid_type");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"response_format\":\"text\"}"), "response_format", "invalid_type");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"stream_options\":{\"include_usage\":1}}"),
                "stream_options.include_usage", "invalid_type");
        assertError(refusal("{\"model\":\"m\"," + m + ",\"model\":\"n\"}"), "model", null);
        assertError(refusal("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), "messages[0].role", null);
        assertError(refusal("{\"model\":\"m\"," + m + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":1}}]}"),
                "tools[0]", "invalid_type");
        JsonNode deep = refusal("{\"x\":" + "[".repeat(300) + "]".repeat(300) + "}");
        assertError(deep, null, null);
        assertThat(deep.path("message").asText()).contains("nested deeper than 256 levels");
    }

    @Test
    void aMissingKeyIsToldToUseBearerAndAnUnknownPathIsNoMissingModel() throws Exception {
        JsonNode missing = own(ApiError.authentication("x-api-key header is required"));
        assertThat(missing.path("message").asText()).contains("Authorization: Bearer").doesNotContain("x-api-key");
        assertThat(missing.path("code").asText()).isEqualTo("invalid_api_key");
        JsonNode expired = own(ApiError.authentication("your sign-in has ended or is not valid; sign in again"));
        assertThat(expired.path("message").asText()).contains("Authorization: Bearer").doesNotContain("sign in");

        JsonNode path = own(OpenAiProtocol.INSTANCE.unserved("POST", "/v1/chat/nothing"));
        assertThat(path.path("code").isNull()).as(path.toString()).isTrue();
        assertThat(path.path("param").isNull()).isTrue();
        JsonNode model = own(ApiError.notFound("model: no route for 'gpt-9' on this gateway"));
        assertThat(model.path("code").asText()).isEqualTo("model_not_found");
        assertThat(model.path("param").asText()).isEqualTo("model");
    }

    @Test
    void anUpstreamsErrorKeepsParamNullButAMissingModelIsStillOne() throws Exception {
        byte[] upstream400 = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"max_tokens: Field required\"}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode e = Json.MAPPER.readTree(OpenAiErrorBody.fromAnthropic(upstream400)).path("error");
        assertThat(e.path("param").isNull()).as("the translated body's field, not the client's").isTrue();
        assertThat(e.path("message").asText()).isEqualTo("max_tokens: Field required");
        byte[] upstream404 = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-9\"}}"
                .getBytes(StandardCharsets.UTF_8);
        JsonNode nf = Json.MAPPER.readTree(OpenAiErrorBody.fromAnthropic(upstream404)).path("error");
        assertThat(nf.path("code").asText()).isEqualTo("model_not_found");
        assertThat(nf.path("param").asText()).isEqualTo("model");
    }
}
