package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guard on OpenAI's {@code /v1/embeddings}: the text to embed, {@code input} (a string or an array of strings),
 * is scanned with the same policy as a conversation, so a secret is blocked before it reaches the upstream and
 * personal data is redacted in what it receives.
 */
class GuardEmbeddingsTest {
    static final Path DIR = GuardStageTest.tempDir();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "text-embedding-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            store: {data-dir: "%s"}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              rules: {pii: [email]}
              actions: {secret: block, pii: redact, injection: flag}
            """.formatted(DIR.resolve("data")));

    private static final String TOKEN = new FakeSecrets(43).githubToken("gh" + "p_");

    private static HttpResponse<String> embed(String input) {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":" + input + "}";
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/embeddings"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertBlocked(HttpResponse<String> resp) {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
        JsonNode error = Http.json(resp.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(error.path("message").asText()).contains("github-token");
        assertThat(resp.body()).doesNotContain(TOKEN);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aSecretInAnInputStringIsBlockedAndNothingIsForwarded() {
        assertBlocked(embed("\"deploy notes: GITHUB_TOKEN=" + TOKEN + "\""));
    }

    @Test
    void aSecretInAnyStringOfAnInputArrayIsBlocked() {
        assertBlocked(embed("[\"first chunk\",\"second chunk\",\"export GITHUB_TOKEN=" + TOKEN + "\\nnext line\"]"));
    }

    @Test
    void personalDataInTheInputIsRedactedOnItsWayToTheUpstream() {
        HttpResponse<String> resp = embed("[\"one sentence\",\"write to ana.silva@acme-payments.io\"]");
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(Http.json(resp.body()).path("data")).hasSize(2);
        assertThat(resp.headers().firstValue("x-sluice-guard")).hasValue("redact=email");
        String sent = new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8);
        assertThat(sent).doesNotContain("ana.silva@acme-payments.io").containsPattern("write to \\[REDACTED:email:[0-9a-f]{6}]")
                .contains("\"one sentence\"").contains("\"model\":\"text-embedding-3-small\"");
    }

    @Test
    void aCleanInputPassesUnchanged() {
        HttpResponse<String> resp = embed("\"Say hello.\"");
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8)).contains("\"input\":\"Say hello.\"");
    }

    // Attack round 39: the body goes upstream whole (only its model rewritten), but only its input was read: a token in
    // "user" or in any other member reached the simulated upstream. Every member is read now.

    @Test
    void aTokenInTheUserFieldIsBlocked() {
        assertBlocked(embed("\"Say hi\",\"user\":\"" + TOKEN + "\""));
    }

    @Test
    void aTokenInAnyOtherMemberIsBlocked() {
        assertBlocked(embed("\"Say hi\",\"metadata\":{\"note\":\"" + TOKEN + "\"}"));
    }

    @Test
    void anEmailInTheUserFieldIsRedactedInWhatTheUpstreamGets() {
        HttpResponse<String> r = embed("\"Say hi\",\"user\":\"ana.silva@acme-payments.io\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getLast().bodyText()).doesNotContain("ana.silva@acme-payments.io")
                .containsPattern("\\[REDACTED:email:[0-9a-f]{6}]");
    }

    @Test
    void aCleanBodyWithOtherMembersPassesUnchanged() {
        HttpResponse<String> r = embed("\"Say hi\",\"user\":\"dev-42\",\"encoding_format\":\"float\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(SLUICE.recorder().received().getLast().bodyText()).contains("\"user\":\"dev-42\"");
    }
}
