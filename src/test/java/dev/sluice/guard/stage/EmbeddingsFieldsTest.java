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
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack round 39: an embeddings body goes to the upstream whole (only its {@code model} is rewritten), but the guard
 * read only its {@code input}: a GitHub token in {@code user} or in any other member reached the simulated upstream.
 * Every member is read now; a clean body still passes unchanged.
 */
class EmbeddingsFieldsTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "text-embedding-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              rules: {pii: [email]}
              actions: {secret: block, pii: redact}
            """);

    private static final String TOKEN = new FakeSecrets(39).githubToken("gh" + "p_");

    private static HttpResponse<String> embed(String extra) {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":\"Say hi\"" + extra + "}";
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/embeddings"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertBlocked(HttpResponse<String> resp) {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
        JsonNode error = Http.json(resp.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(resp.body()).doesNotContain(TOKEN);
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    @Test
    void aTokenInTheUserFieldIsBlocked() {
        assertBlocked(embed(",\"user\":\"" + TOKEN + "\""));
    }

    @Test
    void aTokenInAnyOtherMemberIsBlocked() {
        assertBlocked(embed(",\"metadata\":{\"note\":\"" + TOKEN + "\"}"));
    }

    @Test
    void anEmailInTheUserFieldIsRedactedInWhatTheUpstreamGets() {
        HttpResponse<String> r = embed(",\"user\":\"ana.silva@acme-payments.io\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received().getFirst().bodyText()).doesNotContain("ana.silva@acme-payments.io")
                .containsPattern("\\[REDACTED:email:[0-9a-f]{6}]");
    }

    @Test
    void aCleanBodyPassesUnchanged() {
        HttpResponse<String> r = embed(",\"user\":\"dev-42\",\"encoding_format\":\"float\"");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(SLUICE.recorder().received().getFirst().bodyText()).contains("\"user\":\"dev-42\"");
    }
}
