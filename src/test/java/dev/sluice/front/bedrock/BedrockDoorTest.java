package dev.sluice.front.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.provider.GatewayCalls;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/** The Bedrock door through the whole gateway to the simulated Anthropic upstream: bodies, answers, errors, keys. */
class BedrockDoorTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    private static final String BODY = """
            {"anthropic_version":"bedrock-2023-05-31","anthropic_beta":["claude-code-20250219","interleaved-thinking-2025-05-14"],
             "max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""";

    @Test
    void anInvokeIsTheAnthropicCallUpstreamAndItsAnswerComesBackAsBedrockReturnsIt() {
        HttpResponse<String> r = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", BODY,
                "authorization", "Bearer " + SluiceHarness.GATEWAY_KEY, "X-Amzn-Bedrock-Request-Metadata", "{\"team\":\"a\"}",
                "X-Amzn-Bedrock-Service-Tier", "priority");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r.body()).path("type").asText()).isEqualTo("message");
        ReceivedRequest up = SLUICE.recorder().received().getLast();
        JsonNode sent = Http.json(up.bodyText());
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sent.has("anthropic_version") || sent.has("anthropic_beta") || sent.has("stream")).isFalse();
        assertThat(sent.path("messages")).isEqualTo(Http.json(BODY).path("messages"));
        assertThat(up.header("anthropic-beta")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
        assertThat(up.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(up.header("x-amz-user-agent")).isNull();
        // attack round 29: the AWS SDK's X-Amzn-Bedrock-* request headers (invocation metadata among them) went upstream.
        assertThat(up.headers()).noneSatisfy(h -> assertThat(h.getKey().toLowerCase()).startsWith("x-amzn-"));
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        assertThat(r.headers().firstValue("x-sluice-cost-usd")).hasValue(records.path("cost_usd").asText());
        assertThat(records.path("attempts").get(0).path("requested_model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void aStreamIsEventStreamFramesEndingWithBedrocksMetrics() {
        HttpResponse<byte[]> r = Http.client().sendAsync(base("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
        assertThat(r.headers().firstValue("x-sluice-request-id")).isPresent();
        List<String> events = new ArrayList<>();
        frames(r.body()).forEach(m -> events.add(new String(Base64.getDecoder().decode(
                Http.json(new String(m.getPayload(), UTF_8)).path("bytes").asText()), UTF_8)));
        assertThat(events.getFirst()).contains("\"message_start\"");
        JsonNode last = Http.json(events.getLast());
        assertThat(last.path("type").asText()).isEqualTo("message_stop");
        JsonNode records = GatewayCalls.records(SLUICE.gatewayUrl(), r.headers().firstValue("request-id").orElseThrow(), 1);
        assertThat(last.at("/amazon-bedrock-invocationMetrics/outputTokenCount").asLong())
                .isEqualTo(records.at("/attempts/0/usage/output_tokens").asLong()).isPositive();
        assertThat(Http.json(SLUICE.recorder().received().getLast().bodyText()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void anErrorInsideAStreamIsAnExceptionFrame() {
        HttpResponse<byte[]> r = Http.client().sendAsync(base("/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream")
                .header("x-sim-fault", "error-event:3").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).join();
        assertThat(r.statusCode()).isEqualTo(200);
        Message last = frames(r.body()).getLast();
        assertThat(last.getHeaders().get(":message-type").getString()).isEqualTo("exception");
        assertThat(last.getHeaders().get(":exception-type").getString()).isEqualTo("serviceUnavailableException");
        assertThat(Http.json(new String(last.getPayload(), UTF_8)).path("message").asText()).isNotBlank();
    }

    @Test
    void errorsAreBedrocksEnvelopeNamedByTheirType() {
        HttpResponse<String> throttled = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", BODY,
                "x-sim-fault", "429");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("x-amzn-ErrorType")).hasValue("ThrottlingException");
        assertThat(Http.json(throttled.body()).path("message").asText()).isNotBlank();
        assertThat(Http.json(throttled.body()).has("type")).isFalse();

        HttpResponse<String> badKey = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", BODY,
                "x-api-key", "sk-wrong", "authorization", "Bearer sk-wrong");
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(badKey.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        assertThat(Http.json(badKey.body()).path("message").asText()).contains("AWS_BEARER_TOKEN_BEDROCK");

        HttpResponse<String> modelInBody = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke",
                "{\"model\":\"x\",\"max_tokens\":5,\"messages\":[]}");
        assertThat(modelInBody.statusCode()).isEqualTo(400);
        assertThat(modelInBody.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(Http.json(modelInBody.body()).path("message").asText()).contains("extraneous key [model]");

        HttpResponse<String> unknown = Http.send(base("/bedrock/model/x/converse").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(SLUICE.recorder().received()).as("only the throttled call (and the gateway's retry of it) went upstream")
                .allSatisfy(up -> assertThat(up.header("x-sim-fault")).isEqualTo("429"));
    }

    @Test
    void aBetaTheHeaderCannotCarryIsAValidationErrorNotAGatewayFault() {
        // attack round 29: a body beta with a control character became a header value the HTTP layer refuses: a 500.
        for (String beta : List.of("a\\nb", "a\\u0000b", "\\u65e5\\u672c")) {
            HttpResponse<String> r = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke",
                    "{\"anthropic_beta\":[\"" + beta + "\"],\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(r.statusCode()).as(beta + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
            assertThat(Http.json(r.body()).path("message").asText()).contains("anthropic_beta").contains("printable ASCII");
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void anOverloadedUpstreamIsBedrocks503WhichTheAwsSdksRetry() {
        // Bedrock never answers 529; boto3 and the AWS SDKs retry a 503 ServiceUnavailableException and give up on a 529.
        HttpResponse<String> overloaded = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", BODY,
                "x-sim-fault", "529");
        assertThat(overloaded.statusCode()).as(overloaded.body()).isEqualTo(503);
        assertThat(overloaded.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailableException");
        assertThat(overloaded.headers().firstValue("x-sluice-tried").orElse("")).as("the attempts keep the upstream's 529")
                .contains("529");
        assertThat(SLUICE.recorder().received()).isNotEmpty();
    }

    @Test
    void aSigV4SignedCallIsToldToUseAGatewayKey() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                        + "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"))
                .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/bedrock/aws4_request,"
                        + " SignedHeaders=host;x-amz-date, Signature=abc")
                .header("x-amz-date", "20261201T000000Z").POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        assertThat(Http.json(r.body()).path("message").asText()).contains("SigV4 signatures are not accepted");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aSigV4SignatureBesideAGoodKeyIsARefusedCredentialNotADeniedModel() {
        // attack round 29: this was a 403 AccessDeniedException, which Claude Code answers by trying every other model
        // (BedrockModeCliTest runs the CLI); a refused credential is a 401 it reports at once.
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl()
                        + "/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"))
                .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/bedrock/aws4_request,"
                        + " SignedHeaders=host;x-amz-date, Signature=abc")
                .header("x-api-key", SluiceHarness.GATEWAY_KEY).POST(HttpRequest.BodyPublishers.ofString(BODY)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("UnrecognizedClientException");
        assertThat(Http.json(r.body()).path("message").asText()).contains("SigV4").contains("CLAUDE_CODE_SKIP_BEDROCK_AUTH=1");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aGuardrailTheGatewayCannotApplyIsRefusedNotSilentlyDropped() {
        // attack round 29: the AWS SDK's guardrailIdentifier header reached no upstream that applies it (an Anthropic
        // upstream ignores it; a Bedrock upstream gets the gateway's own request), so the call was answered unguarded.
        HttpResponse<String> r = invoke("/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", BODY,
                "X-Amzn-Bedrock-GuardrailIdentifier", "gr-abc123", "X-Amzn-Bedrock-GuardrailVersion", "1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
        assertThat(Http.json(r.body()).path("message").asText()).contains("guardrail").contains("gr-abc123");
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void countTokensReadsTheInvokeBodyAndAnswersInBedrocksShape() {
        String b64 = Base64.getEncoder().encodeToString(BODY.getBytes(UTF_8));
        HttpResponse<String> r = invoke("/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1:0/count-tokens",
                "{\"input\":{\"invokeModel\":{\"body\":\"" + b64 + "\"}}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Http.json(r.body()).path("inputTokens").asLong()).isPositive();
        JsonNode sent = Http.json(SLUICE.recorder().received().getLast().bodyText());
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sent.has("max_tokens") || sent.has("anthropic_version")).isFalse();
    }

    @Test
    void inferenceProfilesListWhatTheGatewayServesUnderIdsItMapsBack() {
        HttpResponse<String> r = Http.send(base("/bedrock/inference-profiles?typeEquals=SYSTEM_DEFINED").GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = Http.json(r.body()).path("inferenceProfileSummaries").findValuesAsText("inferenceProfileId");
        assertThat(ids).contains("us.anthropic.claude-sonnet-4-5-20250929-v1:0").allSatisfy(id -> assertThat(id).contains("anthropic"));
        assertThat(ids).allSatisfy(id -> assertThat(ModelPath.anthropicName(id)).startsWith("claude-"));
        assertThat(Http.json(r.body()).has("nextToken")).isFalse();
    }

    private static HttpResponse<String> invoke(String path, String body, String... headers) {
        HttpRequest.Builder b = base(path).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return Http.send(b.build());
    }

    /** What the AWS SDK sends with a bearer token: no anthropic-version header, its own x-amz-* headers. */
    private static HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").header("x-amz-user-agent", "aws-sdk-js/3.936.0");
    }

    /** The frames of an event stream, each checked (lengths, both CRCs) by the AWS SDK's decoder. */
    static List<Message> frames(byte[] stream) {
        List<Message> out = new ArrayList<>();
        new MessageDecoder(out::add).feed(stream);
        return out;
    }

}
