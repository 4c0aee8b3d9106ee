package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** The gateway's SigV4 signer gives exactly the AWS SDK signer's headers, for every shape of request Bedrock gets. */
class SigV4Test {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T18:04:05Z"), ZoneOffset.UTC);
    private static final BedrockAuth.SigV4 KEYS = new BedrockAuth.SigV4("AKIAGATEWAYTEST00001", "s3cr3t/key+value", null);
    private static final BedrockAuth.SigV4 TEMPORARY = new BedrockAuth.SigV4("ASIATEMP", "sk", "FwoGZXIvYXdzEtoken");

    @Test
    void matchesTheSdkSignerOnClaudeCodesRequest() throws Exception {
        byte[] body = claudeCodeRequest();
        URI base = URI.create("https://bedrock-runtime.us-east-1.amazonaws.com");
        String path = "/model/" + BedrockRequests.segment("us.anthropic.claude-sonnet-4-5-20250929-v1:0") + "/invoke";
        Map<String, List<String>> expected = sdk(KEYS, "us-east-1", CLOCK, base, path, headers(), body);

        assertSame(expected, new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, path, headers(), body));
        assertSame(expected, new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, path, headers(), Buffer.buffer(body)));
        // A buffer that is not one heap array (composite, direct parts) is hashed part by part, to the same hash.
        CompositeByteBuf parts = Unpooled.compositeBuffer();
        parts.addComponent(true, Unpooled.directBuffer(1000).writeBytes(body, 0, 1000));
        parts.addComponent(true, Unpooled.directBuffer(body.length - 1000).writeBytes(body, 1000, body.length - 1000));
        assertSame(expected, new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, path, headers(),
                BufferInternal.buffer(parts)));
    }

    @Test
    void matchesTheSdkSignerForTemporaryCredentialsPortsArnsAndHeaderSpacing() {
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9llo \\ud83d\\ude00\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        String arn = "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc";
        Map<String, String> spaced = new LinkedHashMap<>();
        spaced.put("Content-Type", "application/json");
        spaced.put("accept", "  application/vnd.amazon.eventstream   x  ");
        for (BedrockAuth.SigV4 keys : List.of(KEYS, TEMPORARY)) {
            for (String base : List.of("https://bedrock-runtime.eu-west-1.amazonaws.com", "http://127.0.0.1:8123",
                    "https://vpce.example:443", "https://proxy.example:8443")) {
                for (String path : List.of("/model/" + BedrockRequests.segment(arn) + "/invoke-with-response-stream",
                        "/prefix/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/count-tokens")) {
                    for (Map<String, String> headers : List.of(headers(), spaced)) {
                        URI uri = URI.create(base);
                        assertSame(sdk(keys, "eu-west-1", CLOCK, uri, path, headers, body),
                                new SigV4(keys, "eu-west-1", CLOCK).sign("POST", uri, path, headers, body));
                    }
                }
            }
        }
    }

    @Test
    void aNewDayOrRegionOrSecretDerivesANewKey() {
        URI base = URI.create("https://bedrock-runtime.us-east-1.amazonaws.com");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Clock nextDay = Clock.fixed(Instant.parse("2026-11-30T00:00:01Z"), ZoneOffset.UTC);
        BedrockAuth.SigV4 other = new BedrockAuth.SigV4("AKIAGATEWAYTEST00001", "another secret", null);
        // One thread signs in turn with each: the kept key must never leak from one to the next.
        for (int round = 0; round < 2; round++) {
            assertSame(sdk(KEYS, "us-east-1", CLOCK, base, "/model/m/invoke", headers(), body),
                    new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, "/model/m/invoke", headers(), body));
            assertSame(sdk(KEYS, "us-east-1", nextDay, base, "/model/m/invoke", headers(), body),
                    new SigV4(KEYS, "us-east-1", nextDay).sign("POST", base, "/model/m/invoke", headers(), body));
            assertSame(sdk(KEYS, "us-west-2", nextDay, base, "/model/m/invoke", headers(), body),
                    new SigV4(KEYS, "us-west-2", nextDay).sign("POST", base, "/model/m/invoke", headers(), body));
            assertSame(sdk(other, "us-west-2", nextDay, base, "/model/m/invoke", headers(), body),
                    new SigV4(other, "us-west-2", nextDay).sign("POST", base, "/model/m/invoke", headers(), body));
        }
    }

    @Test
    void anEmptyOrAbsentBodyIsSignedAsTheEmptyHash() {
        URI base = URI.create("https://bedrock-runtime.us-east-1.amazonaws.com");
        Map<String, List<String>> expected = sdk(KEYS, "us-east-1", CLOCK, base, "/model/m/invoke", headers(), new byte[0]);
        assertThat(expected.get("x-amz-content-sha256"))
                .containsExactly("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertSame(expected, new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, "/model/m/invoke", headers(), new byte[0]));
        assertSame(expected, new SigV4(KEYS, "us-east-1", CLOCK).sign("POST", base, "/model/m/invoke", headers(), (byte[]) null));
    }

    /** The signature headers ours adds equal the SDK's (names compared without case, as HTTP does). */
    private static void assertSame(Map<String, List<String>> sdk, Map<String, List<String>> ours) {
        Map<String, List<String>> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        expected.putAll(sdk);
        Map<String, List<String>> actual = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        actual.putAll(ours);
        for (String name : List.of("authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "host")) {
            assertThat(actual.get(name)).as(name).isEqualTo(expected.get(name));
        }
        assertThat(actual.get("authorization")).isNotNull();
    }

    private static Map<String, List<String>> sdk(BedrockAuth.SigV4 keys, String region, Clock clock, URI base,
                                                 String path, Map<String, String> headers, byte[] body) {
        AwsCredentialsIdentity identity = keys.sessionToken() == null
                ? AwsCredentialsIdentity.create(keys.accessKeyId(), keys.secretAccessKey())
                : AwsSessionCredentialsIdentity.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken());
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol(base.getScheme())
                .host(base.getHost()).encodedPath(path);
        if (base.getPort() > 0) {
            request.port(base.getPort());
        }
        headers.forEach(request::putHeader);
        return AwsV4HttpSigner.create().sign(r -> r.request(request.build())
                .payload(ContentStreamProvider.fromInputStreamSupplier(() -> new ByteArrayInputStream(body)))
                .identity(identity)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4.SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request().headers();
    }

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.put("accept", "application/json");
        return h;
    }

    private static byte[] claudeCodeRequest() throws Exception {
        try (InputStream in = SigV4Test.class.getResourceAsStream("/demo/claude-code-request.json")) {
            return in.readAllBytes();
        }
    }
}
