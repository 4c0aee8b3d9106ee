package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack round 39: a batch request's {@code custom_id} goes upstream beside its params and names the request's ledger
 * record, and a token fits its pattern; the guard read only the params, so a GitHub token or an AWS key id as a
 * custom_id reached the simulated upstream (and would have named ledger rows). Now it refuses the batch, naming the
 * field and the rule, never the value, in block and in redact mode (a placeholder is no custom_id).
 */
class BatchCustomIdTest {
    private static final FakeSecrets FAKE = new FakeSecrets(39);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");
    private static final String AWS = FAKE.awsKeyId();
    private static final String SECOND_KEY = "sk-sluice-second-key-0000000001";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(SluiceHarness.BASE_YAML.replace("keys: [\"${GATEWAY_KEY}\"]",
            "keys: [\"${GATEWAY_KEY}\", \"" + SECOND_KEY + "\"]") + """
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              actions: {secret: block}
              policies:
                - match: {key: "config key 2"}
                  actions: {secret: redact}
            """);

    private static String batch(String secondId) {
        return """
                {"requests": [
                  {"custom_id": "clean", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "Say hi"}]}},
                  {"custom_id": "%2$s", "params": {"model": "%1$s", "max_tokens": 10, "messages": [{"role": "user", "content": "Say bye"}]}}
                ]}""".formatted(SluiceHarness.MODEL, secondId);
    }

    private static void assertRefused(HttpResponse<String> r, String secret, String rule) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = Http.json(r.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(error.path("message").asText()).startsWith("requests[1].custom_id: ").contains(rule);
        assertThat(r.body()).doesNotContain(secret);
        assertThat(SLUICE.recorder().received()).as("no batch forwarded").isEmpty();
    }

    @Test
    void aTokenAsACustomIdRefusesTheBatchWithoutNamingIt() {
        assertRefused(Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch(TOKEN)), TOKEN, "github-token");
        assertRefused(Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch(AWS)), AWS, "aws-access-key-id");
    }

    @Test
    void aPolicyThatRedactsSecretsStillRefusesOneAsACustomId() {
        assertRefused(Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch(TOKEN), "x-api-key", SECOND_KEY), TOKEN,
                "github-token");
    }

    @Test
    void aPlainCustomIdPasses() {
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages/batches", batch("q-2_retry"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getFirst().bodyText()).contains("\"custom_id\":\"q-2_retry\"");
    }
}
