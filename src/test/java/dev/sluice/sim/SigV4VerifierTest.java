package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pinned to the public AWS SigV4 test-suite vectors (get-vanilla, post-vanilla; key AKIDEXAMPLE). */
class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");

    private static SigV4Verifier.Failure verify(String method, String signature, Instant now, String body) {
        List<Map.Entry<String, String>> headers = List.of(
                Map.entry("Host", "example.amazonaws.com"),
                Map.entry("X-Amz-Date", "20150830T123600Z"),
                Map.entry("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=" + signature));
        return SigV4Verifier.verify(method, "/", null, headers, body.getBytes(), "service",
                id -> id.equals("AKIDEXAMPLE") ? SECRET : null, now);
    }

    @Test
    void acceptsTheTestSuiteVectors() {
        assertThat(verify("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", AT, "")).isNull();
        assertThat(verify("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", AT, "")).isNull();
    }

    @Test
    void refusesAnyChange() {
        assertThat(verify("POST", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", AT, ""))
                .extracting(SigV4Verifier.Failure::errorType).isEqualTo("InvalidSignatureException");
        assertThat(verify("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", AT, "x"))
                .extracting(SigV4Verifier.Failure::errorType).isEqualTo("InvalidSignatureException");
        assertThat(verify("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
                AT.plusSeconds(600), "").message()).startsWith("Signature expired");
    }

    @Test
    void unknownKeyAndMissingHeader() {
        assertThat(SigV4Verifier.verify("GET", "/", null, List.of(Map.entry("Authorization",
                        "AWS4-HMAC-SHA256 Credential=NOPE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")),
                new byte[0], "service", id -> null, AT).errorType()).isEqualTo("UnrecognizedClientException");
        assertThat(SigV4Verifier.verify("GET", "/", null, List.of(), new byte[0], "service", id -> SECRET, AT).errorType())
                .isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void canonicalUriEncodesTheWirePathOnceMore() {
        assertThat(SigV4Verifier.canonicalUri("/model/us.anthropic.claude-x-v1%3A0/invoke"))
                .isEqualTo("/model/us.anthropic.claude-x-v1%253A0/invoke");
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=1&a=0")).isEqualTo("a=0&a=1&b=2");
    }
}
