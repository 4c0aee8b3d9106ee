package dev.sluice.front.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Bedrock door of an open gateway (no keys of its own) whose Anthropic upstream has none either: the caller's own
 * credential is what goes upstream. A Bedrock client's is an Amazon Bedrock API key, which must never be sent to a
 * Claude upstream that is not Amazon's.
 */
class BedrockDoorOpenGatewayTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
            """);

    private static final String BODY = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void anAmazonBedrockApiKeyIsRefusedNotSentToAnAnthropicUpstream() {
        // attack round 29: AWS_BEARER_TOKEN_BEDROCK holding a real Bedrock API key (long-term ABSK..., short-term
        // bedrock-api-key-...) went to the Anthropic upstream as the caller's credential.
        for (String key : List.of("ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlOnNlY3JldA==", "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t")) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                            + "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"))
                    .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
            assertThat(Http.json(r.body()).path("message").asText()).contains("Amazon Bedrock API key");
        }
        assertThat(SLUICE.recorder().received()).as("no Bedrock key reached the Anthropic upstream").isEmpty();
    }

    @Test
    void theModelListingsRefuseItToo() {
        // Claude Code in Bedrock mode lists inference profiles first: that call has no body, so no inspection.
        for (String path : List.of("/bedrock/inference-profiles?typeEquals=SYSTEM_DEFINED", "/bedrock/foundation-models")) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path))
                    .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1leGFtcGxlOnNlY3JldA==")
                    .GET().build());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(401);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        }
        HttpResponse<String> signed = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/bedrock/inference-profiles"))
                .timeout(Duration.ofSeconds(20)).header("x-amz-security-token", "FQoGZXIvYXdzEXAMPLE")
                .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/bedrock/aws4_request,"
                        + " SignedHeaders=host;x-amz-date, Signature=abc").GET().build());
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(401);
        assertThat(SLUICE.recorder().received()).as("no AWS credential reached the Anthropic upstream").isEmpty();
    }

    @Test
    void aCallersAnthropicKeyStillGoesThroughAsOnTheAnthropicDoor() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                        + "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"))
                .timeout(Duration.ofSeconds(20)).header("x-api-key", "sk-ant-caller-own-key")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getLast().header("x-api-key")).isEqualTo("sk-ant-caller-own-key");
    }
}
