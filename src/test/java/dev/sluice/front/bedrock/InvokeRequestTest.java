package dev.sluice.front.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.front.anthropic.BodyInspector;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inspection: a Bedrock body and path in the canonical form, by edits, with clear refusals. */
class InvokeRequestTest {
    private static final String BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"anthropic_beta\":[\"a-1\",\"b-2\"],\"system\":\"s\"}";

    @Test
    void theBodyBecomesCanonicalWithModelAndStreamAndTheBetasComeApart() {
        RequestBody client = RequestBody.of(BODY);
        InvokeRequest.Canonical c = InvokeRequest.invoke(client, "claude-sonnet-4-5-20250929", true);
        assertThat(new String(c.body().array(), 0, c.body().length(), UTF_8)).isEqualTo("{\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"system\":\"s\"}");
        assertThat(c.betas()).containsExactly("a-1", "b-2");
        assertThat(client.edited()).as("the client's body stays as it came, for the audit").isFalse();
        RequestFacts facts = BodyInspector.inspect(Operation.MESSAGES, c.body());
        assertThat(facts.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(facts.stream()).isTrue();
        assertThat(facts.field("model")).isNotNull(); // a route's model rename edits the canonical body's own span
    }

    @Test
    void bedrocksOwnFieldsAloneLeaveAValidObject() {
        InvokeRequest.Canonical c = InvokeRequest.invoke(RequestBody.of("{\"anthropic_version\":\"bedrock-2023-05-31\"}"), "m", false);
        assertThat(new String(c.body().array(), UTF_8)).isEqualTo("{\"model\":\"m\"}");
        assertThat(c.betas()).isEmpty();
    }

    @Test
    void whatBedrockRefusesIsRefusedWithItsReason() {
        assertThat(refusal("{\"model\":\"x\",\"max_tokens\":1}")).contains("extraneous key [model]");
        assertThat(refusal("{\"stream\":true}")).contains("extraneous key [stream]");
        assertThat(refusal("{\"anthropic_beta\":\"a\"}")).contains("anthropic_beta: expected an array of strings");
        assertThat(refusal("{\"anthropic_beta\":[1]}")).contains("anthropic_beta: expected an array of strings");
        assertThat(refusal("{\"anthropic_beta\":[\"" + "x".repeat(200) + "\"]}")).contains("at most 128");
        assertThat(refusal("{\"anthropic_beta\":[\"a\\r\\nb\"]}")).contains("printable ASCII");
        assertThat(refusal("{\"anthropic_version\":1}")).contains("anthropic_version");
        assertThat(refusal("{\"anthropic_version\":\"a\",\"anthropic_version\":\"b\"}")).contains("twice");
        assertThat(refusal("{\"max_tokens\":1")).contains("not valid JSON");
        assertThat(refusal("")).contains("empty");
    }

    @Test
    void countTokensUnwrapsTheInvokeBodyAndDropsWhatCountingRefuses() {
        String wrapped = "{\"input\":{\"invokeModel\":{\"body\":\"" + Base64.getEncoder().encodeToString(BODY.getBytes(UTF_8)) + "\"}}}";
        InvokeRequest.Canonical c = InvokeRequest.countTokens(RequestBody.of(wrapped), "claude-haiku-4-5");
        assertThat(new String(c.body().array(), UTF_8)).isEqualTo("{\"model\":\"claude-haiku-4-5\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"system\":\"s\"}");
        assertThatThrownBy(() -> InvokeRequest.countTokens(RequestBody.of("{\"input\":{\"converse\":{}}}"), "m"))
                .hasMessageContaining("input.invokeModel.body");
        assertThatThrownBy(() -> InvokeRequest.countTokens(RequestBody.of("{\"input\":{\"invokeModel\":{\"body\":\"%%\"}}}"), "m"))
                .hasMessageContaining("base64");
    }

    @Test
    void theModelComesFromThePathRawOrEncodedAndMapsToTheAnthropicName() {
        String p = "/bedrock/model/";
        assertThat(ModelPath.model(p + "us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", p, "invoke"))
                .isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(ModelPath.model(p + "global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", p,
                "invoke-with-response-stream")).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(ModelPath.model(p + "us.anthropic.claude-opus-5-5/invoke", p, "invoke")).isEqualTo("claude-opus-5-5");
        assertThat(ModelPath.model(p + "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic"
                + ".claude-haiku-4-5-20251001-v1%3A0/invoke", p, "invoke")).isEqualTo("claude-haiku-4-5-20251001");
        String app = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
        assertThat(ModelPath.model(p + app + "/invoke", p, "invoke")).as("unmappable: passes as given").isEqualTo(app);
        assertThat(ModelPath.model(p + "my-team-model/invoke", p, "invoke")).isEqualTo("my-team-model");
        assertThatThrownBy(() -> ModelPath.model(p + "a%2/invoke", p, "invoke")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> ModelPath.model(p + "a%20b/invoke", p, "invoke")).hasMessageContaining("not a model id");
        assertThatThrownBy(() -> ModelPath.model(p + "x".repeat(300) + "/invoke", p, "invoke")).hasMessageContaining("at most");
        assertThatThrownBy(() -> ModelPath.model(p + "ą/invoke", p, "invoke")).hasMessageContaining("ASCII");
        assertThatThrownBy(() -> ModelPath.model(p + "/invoke", p, "invoke")).hasMessageContaining("no model id");
    }

    @Test
    void theHeadersBecomeAnAnthropicClients() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "a-1,c-3").add("X-Amz-User-Agent", "aws-sdk-js")
                .add("amz-sdk-invocation-id", "1").add("x-app", "cli");
        BedrockDoor.anthropicHeaders(h, List.of("a-1", "b-2"));
        assertThat(h.get("anthropic-beta")).isEqualTo("a-1,c-3,b-2");
        assertThat(h.get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(h.names()).containsExactlyInAnyOrder("anthropic-beta", "anthropic-version", "x-app");
        assertThatThrownBy(() -> BedrockDoor.refuseSigV4(MultiMap.caseInsensitiveMultiMap()
                .add("authorization", "AWS4-HMAC-SHA256 Credential=AKID/x"))).isInstanceOf(ApiError.class)
                .hasMessageContaining("SigV4").extracting(e -> ((ApiError) e).status()).isEqualTo(401);
    }

    private static String refusal(String body) {
        try {
            InvokeRequest.invoke(RequestBody.of(body), "m", false);
        } catch (ApiError e) {
            assertThat(e.status()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + body);
    }
}
