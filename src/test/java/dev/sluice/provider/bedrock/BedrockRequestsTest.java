package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.sim.SigV4Verifier;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockRequestsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final BedrockAuth.SigV4 KEYS = new BedrockAuth.SigV4("AKIAGATEWAYTEST00001", "s3cr3t/key+value", null);
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private final BedrockRequests requests = new BedrockRequests(Clock.fixed(NOW, ZoneOffset.UTC));

    private static MultiMap clientHeaders() {
        return MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "claude-code-20250219").add("x-api-key", "sk-client");
    }

    private static List<Map.Entry<String, String>> wire(UpstreamCall call, String host) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Host", host));
        call.headers().forEach(e -> h.add(Map.entry(e.getKey(), e.getValue())));
        return h;
    }

    @Test
    void streamingInvokeIsSignedAsTheWireCarriesIt() {
        BedrockTarget target = new BedrockTarget(URI.create("http://127.0.0.1:8123"), "us-east-1", MODEL, KEYS);
        UpstreamCall call = requests.build(target, Operation.MESSAGES, RequestBody.of(Fixtures.text(
                "/providers/bedrock/request-cache-control.json")), true, clientHeaders());
        assertThat(call.pathAndQuery()).isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
        assertThat(call.headers().get("accept")).isEqualTo(BedrockRequests.EVENT_STREAM);
        assertThat(call.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIAGATEWAYTEST00001/20261129/us-east-1/bedrock/aws4_request");
        assertThat(call.headers().contains("x-api-key")).isFalse();
        // An independent SigV4 implementation (the simulator's) agrees with the SDK's signature.
        SigV4Verifier.Failure failure = SigV4Verifier.verify("POST", call.pathAndQuery(), null, wire(call, "127.0.0.1:8123"),
                call.body().getBytes(), "bedrock", id -> id.equals(KEYS.accessKeyId()) ? KEYS.secretAccessKey() : null, NOW);
        assertThat(failure).isNull();
        // And notices a body changed after signing.
        byte[] tampered = call.body().getBytes();
        tampered[tampered.length - 2] ^= 1;
        assertThat(SigV4Verifier.verify("POST", call.pathAndQuery(), null, wire(call, "127.0.0.1:8123"), tampered, "bedrock",
                id -> KEYS.secretAccessKey(), NOW)).isNotNull();
    }

    @Test
    void sessionTokenIsSentAndSigned() {
        BedrockTarget target = new BedrockTarget(BedrockTarget.regionalEndpoint("eu-west-1"), "eu-west-1",
                "eu.anthropic.claude-haiku-4-5-20251001-v1:0", new BedrockAuth.SigV4("ASIATEMP", "sk", "FwoGZXIvYXdzEtoken"));
        UpstreamCall call = requests.build(target, Operation.MESSAGES, RequestBody.of("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}"),
                false, MultiMap.caseInsensitiveMultiMap());
        assertThat(call.pathAndQuery()).endsWith("/invoke");
        assertThat(call.headers().get("x-amz-security-token")).isEqualTo("FwoGZXIvYXdzEtoken");
        assertThat(SigV4Verifier.verify("POST", call.pathAndQuery(), null, wire(call, "bedrock-runtime.eu-west-1.amazonaws.com"),
                call.body().getBytes(), "bedrock", id -> "sk", NOW)).isNull();
    }

    @Test
    void apiKeyIsABearerAndCountTokensUsesTheBareId() {
        BedrockTarget target = new BedrockTarget(URI.create("https://proxy.internal/bedrock/"), "us-east-1", MODEL,
                new BedrockAuth.ApiKey("ABSKbedrockapikey"));
        UpstreamCall call = requests.build(target, Operation.COUNT_TOKENS,
                RequestBody.of("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), false, clientHeaders());
        assertThat(call.pathAndQuery()).isEqualTo("/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens");
        assertThat(call.headers().get("authorization")).isEqualTo("Bearer ABSKbedrockapikey");
        assertThat(call.body().toString()).startsWith("{\"input\":{\"invokeModel\":{\"body\":\"");
    }

    @Test
    void modelsIsNotABedrockRuntimeOperation() {
        BedrockTarget target = new BedrockTarget(URI.create("http://x"), "us-east-1", MODEL, new BedrockAuth.ApiKey("k"));
        assertThatThrownBy(() -> requests.build(target, Operation.MODELS, RequestBody.of("{}"), false, clientHeaders()))
                .isInstanceOf(ApiError.class).extracting(e -> ((ApiError) e).status()).isEqualTo(501);
    }

    @Test
    void arnsAreOnePathSegment() {
        assertThat(BedrockRequests.segment("arn:aws:bedrock:us-east-1:1:inference-profile/x"))
                .isEqualTo("arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fx");
    }
}
