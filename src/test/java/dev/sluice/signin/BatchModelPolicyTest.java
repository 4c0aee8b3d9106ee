package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: sign-in's model policy held on Message Batches too. A developer whose organisation or group denies a
 * model was refused it on {@code /v1/messages} and ran it all the same inside a batch, which the pipeline's stages never
 * see; each request of a batch is now judged as the sign-in stage and the served-model check judge a message.
 */
class BatchModelPolicyTest {
    @TempDir
    Path data;

    @Test
    void aModelTheDeveloperMayNotUseIsRefusedInsideABatch() throws Exception {
        String signin = """
                models:
                  deny: ["claude-opus-*"]
                  groups: {contractors: {deny: ["claude-sonnet-*"]}}
                """;
        try (SigninHarness h = SigninHarness.start(data, signin)) {
            String eng = OAuth.signIn(h, new Browser(), "eng-sub",
                    "{\"email\":\"eng@corp.example\",\"email_verified\":true,\"groups\":[\"eng\"]}").get("access_token").asText();
            String contractor = OAuth.signIn(h, new Browser(), "con-sub",
                    "{\"email\":\"con@corp.example\",\"email_verified\":true,\"groups\":[\"eng\",\"contractors\"]}")
                    .get("access_token").asText();

            HttpResponse<String> opus = batch(h, eng, "claude-sonnet-4-5-20250929", "claude-opus-4-6");
            assertThat(opus.statusCode()).as(opus.body()).isEqualTo(400);
            assertThat(opus.body()).contains("invalid_request_error").contains("requests[1]")
                    .contains("claude-opus-4-6 is not allowed for your account");
            HttpResponse<String> sonnet = batch(h, contractor, "claude-sonnet-4-5-20250929");
            assertThat(sonnet.statusCode()).as("the group's own deny: " + sonnet.body()).isEqualTo(400);
            assertThat(sonnet.body()).contains("is not allowed for your account");

            HttpResponse<String> allowed = batch(h, eng, "claude-sonnet-4-5-20250929");
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
            assertThat(Http.json(allowed.body()).get("type").asText()).isEqualTo("message_batch");
        }
    }

    private static HttpResponse<String> batch(SigninHarness h, String bearer, String... models) {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < models.length; i++) {
            requests.append(i == 0 ? "" : ",").append("{\"custom_id\":\"r").append(i).append("\",\"params\":{\"model\":\"")
                    .append(models[i]).append("\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}");
        }
        return Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/v1/messages/batches")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + bearer).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requests\":[" + requests + "]}")).build());
    }
}
