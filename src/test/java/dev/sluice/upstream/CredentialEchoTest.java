package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class CredentialEchoTest {
    @Test
    void anEchoedKeyOrBearerTokenIsRemovedFromTheErrorBody() {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap().add("x-api-key", "sk-up-secret-1").add("authorization", "Bearer tok-abcdefgh");
        Buffer body = Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":"
                + "\"invalid x-api-key sk-up-secret-1 (also sk-up-secret-1), token tok-abcdefgh\"}}");
        String out = CredentialEcho.scrub(body, CredentialEcho.sent(sent)).toString();
        assertThat(out).doesNotContain("sk-up-secret-1").doesNotContain("tok-abcdefgh")
                .contains("invalid x-api-key [credential removed by the gateway] (also [credential removed by the gateway])")
                .startsWith("{\"type\":\"error\"");
    }

    @Test
    void aBodyWithoutTheSecretIsTheSameBufferAndShortValuesAreNotSearched() {
        Buffer body = Buffer.buffer("{\"error\":{\"message\":\"overloaded abc\"}}");
        assertThat(CredentialEcho.scrub(body, CredentialEcho.sent(MultiMap.caseInsensitiveMultiMap().add("x-api-key", "sk-long-enough"))))
                .isSameAs(body);
        assertThat(CredentialEcho.sent(MultiMap.caseInsensitiveMultiMap().add("x-api-key", "abc"))).isEmpty();
    }

    @Test
    void aResponseHeaderHoldingTheSentKeyIsDropped() {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap().add("x-api-key", "sk-ant-api03-SECRET-abcd");
        MultiMap answer = MultiMap.caseInsensitiveMultiMap().add("x-debug-key", "sk-ant-api03-SECRET-abcd")
                .add("x-echo", "got key=sk-ant-api03-SECRET-abcd from you").add("request-id", "req_0123456789")
                .add("anthropic-ratelimit-requests-remaining", "42");
        MultiMap out = CredentialEcho.scrubHeaders(UpstreamHeaders.forClient(answer), CredentialEcho.sent(sent));
        assertThat(out.names()).doesNotContain("x-debug-key", "x-echo");
        assertThat(out.toString()).doesNotContain("SECRET");
    }

    @Test
    void aFailureQuotingTheSentKeyIsLoggedWithoutIt() {
        // As the HTTP layer words a header value it refuses: the value quoted, here with the line break it refused.
        MultiMap sent = MultiMap.caseInsensitiveMultiMap().add("x-api-key", "sk-ant-api03-SECRET-abcd\n");
        Exception refused = new IllegalStateException("request head not written", new IllegalArgumentException(
                "a header value contains a prohibited character '\\n': sk-ant-api03-SECRET-abcd\n"));
        String logged = CredentialEcho.scrub(FailureText.of(refused), CredentialEcho.sent(sent));
        assertThat(logged).doesNotContain("SECRET").contains("prohibited character").contains("[credential removed");
    }
}
