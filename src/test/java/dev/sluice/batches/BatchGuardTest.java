package dev.sluice.batches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the guard on, every request of a batch meets the same policy as a message: a secret blocks, personal data is redacted. */
class BatchGuardTest {
    private static final String TOKEN = new FakeSecrets(41).githubToken("gh" + "p_");

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML + """
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              rules: {pii: [email]}
              actions: {secret: block, pii: redact}
            """);

    private static String batch(String secondText) {
        return """
                {"requests": [
                  {"custom_id": "clean", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "Say hi"}]}},
                  {"custom_id": "second", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "%2$s"}]}}
                ]}""".formatted(SluiceHarness.MODEL, secondText);
    }

    @Test
    void aSecretInAnyRequestBlocksTheBatchNamingTheRequestNeverTheSecret() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch("push with " + TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Http.json(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(error.path("message").asText()).startsWith("requests[1] (custom_id \"second\")").contains("github-token");
        assertThat(r.body()).doesNotContain(TOKEN);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void personalDataIsRedactedBeforeTheBatchLeaves() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch("Write to ana.silva@acme-payments.io"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String sent = SLUICE.recorder().received().getFirst().bodyText();
        assertThat(sent).doesNotContain("ana.silva@acme-payments.io").containsPattern("\\[REDACTED:email:[0-9a-f]{6}]").contains("Say hi");
    }
}
