package dev.sluice.front.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.BilledUsage;
import dev.sluice.testing.Http;
import dev.sluice.testing.NpmPackage;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK's own Bedrock runtime client ({@code @aws-sdk/client-bedrock-runtime}, installed with the Bedrock SDK in
 * {@code src/test/npm}) with the gateway key as its bearer token: its parsers, not Anthropic's, read the door's JSON,
 * event stream and error envelope, so each answer must be what Bedrock's service model says. Attack round 29 found these
 * held; they stay as the regression guard for a client that reads {@code x-amzn-ErrorType} and exception frames itself.
 */
class BedrockAwsSdkTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @TempDir
    Path work;

    private JsonNode run(String step) throws Exception {
        Path module = NpmPackage.require("@aws-sdk/client-bedrock-runtime");
        Path script = work.resolve("bedrock-aws-sdk.cjs");
        try (var in = BedrockAwsSdkTest.class.getResourceAsStream("/npm/bedrock-aws-sdk.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        NpmPackage.Run r = NpmPackage.run(script, work, Map.of("AWS_MODULE", module.toString(),
                "BASE_URL", SLUICE.gatewayUrl() + "/bedrock", "AWS_BEARER_TOKEN_BEDROCK", SluiceHarness.GATEWAY_KEY,
                "MODEL", "us.anthropic." + SluiceHarness.MODEL + "-v1:0", "STEP", step), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    @Test
    void invokeStreamAndCountAreReadByTheAwsSdk() throws Exception {
        JsonNode invoke = run("invoke");
        assertThat(invoke.at("/message/type").asText()).isEqualTo("message");
        assertThat(invoke.path("requestId").asText()).as("the SDK's $metadata.requestId is the gateway's id").startsWith("req_");
        BilledUsage billed = SLUICE.recorder().billed().getLast();
        assertThat(invoke.at("/message/usage/output_tokens").asLong()).isEqualTo(billed.outputTokens());

        JsonNode stream = run("stream");
        assertThat(stream.path("types").toString()).startsWith("[\"message_start\"").endsWith("\"message_stop\"]");
        assertThat(stream.has("error")).isFalse();

        JsonNode count = run("count");
        assertThat(count.path("inputTokens").asLong()).isPositive();
    }

    @Test
    void errorsBecomeTheAwsSdksOwnExceptions() throws Exception {
        JsonNode throttled = run("throttled").path("error");
        assertThat(throttled.path("name").asText()).isEqualTo("ThrottlingException");
        assertThat(throttled.path("status").asInt()).isEqualTo(429);
        assertThat(throttled.path("requestId").asText()).as("a failed call's id to quote").startsWith("req_");

        JsonNode midStream = run("stream-error");
        assertThat(midStream.path("types").toString()).startsWith("[\"message_start\"");
        assertThat(midStream.at("/error/name").asText()).isEqualTo("ServiceUnavailableException");

        JsonNode badKey = run("bad-key").path("error");
        assertThat(badKey.path("name").asText()).isEqualTo("UnrecognizedClientException");
        assertThat(badKey.path("status").asInt()).isEqualTo(401);
        assertThat(badKey.path("message").asText()).contains("AWS_BEARER_TOKEN_BEDROCK");
        assertThat(SLUICE.recorder().received()).as("only the throttled and the mid-stream calls went upstream")
                .allSatisfy(up -> assertThat(up.header("x-sim-fault")).isNotNull());
    }
}
