package dev.sluice.front.vertex;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.authenticate.Callers;
import dev.sluice.translate.AnthropicEncoder;
import dev.sluice.wire.ApiError;
import org.junit.jupiter.api.Test;

class VertexClientProtocolTest {
    private static final VertexClientProtocol DOOR = VertexClientProtocol.INSTANCE;

    @Test
    void refusedCredentialsSayToSendAGatewayKey() {
        String missing = DOOR.errorBody(ApiError.authentication(Callers.MISSING_KEY), "req_1").toString(UTF_8);
        assertThat(missing).contains("\"authentication_error\"").contains("CLAUDE_CODE_SKIP_VERTEX_AUTH=1")
                .contains("x-api-key: <gateway key>").contains("\"request_id\":\"req_1\"");
        String bearer = DOOR.errorBody(ApiError.authentication(Callers.SIGNIN_ENDED), "req_2").toString(UTF_8);
        assertThat(bearer).contains("Google OAuth access token is not accepted").contains("ANTHROPIC_CUSTOM_HEADERS");
        assertThat(DOOR.errorEvent(ApiError.authentication(Callers.SIGNIN_ENDED), "req_3").toString(UTF_8))
                .startsWith("event: error").contains("Google OAuth");
    }

    @Test
    void otherErrorsKeepAnthropicsEnvelopeAndWords() {
        String body = DOOR.errorBody(new ApiError(529, "overloaded_error", "Overloaded"), "req_4").toString(UTF_8);
        assertThat(body).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},"
                + "\"request_id\":\"req_4\"}");
    }

    @Test
    void unknownPathsUnderVertexAreItsOwn404s() {
        assertThat(DOOR.unserved("POST", "/v1/messages")).isNull();
        assertThat(DOOR.unserved("POST", "/vertexai")).isNull();
        ApiError noV1 = DOOR.unserved("POST", "/vertex/projects/p/locations/us-east5/publishers/anthropic/models/m:rawPredict");
        assertThat(noV1.status()).isEqualTo(404);
        assertThat(noV1.getMessage()).contains("ANTHROPIC_VERTEX_BASE_URL").contains("/vertex/v1");
        ApiError gemini = DOOR.unserved("POST", "/vertex/v1/projects/p/locations/us-east5/publishers/google/models/gemini:generateContent");
        assertThat(gemini.getMessage()).contains("only Anthropic's models");
    }

    @Test
    void answersPassThroughAndHeadersAreAnthropics() {
        assertThat(DOOR.encoder()).isSameAs(AnthropicEncoder.INSTANCE);
        assertThat(DOOR.anthropicWire()).isTrue();
        assertThat(DOOR.name()).isEqualTo("vertex");
    }
}
