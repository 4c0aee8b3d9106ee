package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What goes upstream beside the body is read too: attack round 39 sent a token in a custom request header (as Claude
 * Code's ANTHROPIC_CUSTOM_HEADERS would) and in the query string, and both reached the simulated upstream with the
 * guard on. Now the request is refused, naming the header, never the value; Claude Code's own headers pass.
 */
class HeaderLeakTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(GuardStageTest.BASE + GuardStageTest.GUARD);
    private static final FakeSecrets FAKE = new FakeSecrets(391);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");
    private static final String BODY = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello\"}]}";

    @Test
    void aTokenInACustomHeaderIsRefusedAndNotForwarded() {
        HttpResponse<String> r = Turns.send(SLUICE.gatewayUrl(), BODY, "x-internal-proxy-auth", TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Http.json(r.body()).path("error").path("type").asText()).isEqualTo("policy_blocked");
        assertThat(r.body()).contains("x-internal-proxy-auth").doesNotContain(TOKEN);
        assertThat(SLUICE.recorder().received()).as("nothing forwarded").isEmpty();
    }

    @Test
    void aTokenInTheQueryStringIsRefusedAndNotForwarded() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages?beta=true&t=" + TOKEN, BODY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("query string").doesNotContain(TOKEN);
        assertThat(SLUICE.recorder().received()).as("nothing forwarded").isEmpty();
    }

    @Test
    void claudeCodesOwnHeadersAndQueryPass() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages?beta=true", BODY,
                "anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
                "user-agent", "claude-cli/2.1.330 (external, cli)", "x-app", "cli",
                "x-claude-code-session-id", "0b6f7c1e-4a52-4f0e-9d3b-2a8c6d1e7f90", "x-stainless-lang", "js",
                "x-stainless-package-version", "0.60.0", "x-stainless-os", "Linux", "x-stainless-arch", "x64",
                "x-stainless-runtime", "node", "x-stainless-runtime-version", "v22.20.0", "x-stainless-retry-count", "0",
                "x-stainless-timeout", "600", "anthropic-dangerous-direct-browser-access", "true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received()).hasSize(1);
    }
}
