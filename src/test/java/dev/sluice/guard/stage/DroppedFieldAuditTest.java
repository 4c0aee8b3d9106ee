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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack round 39: with content logging on, the audit line of an OpenAI-door request the guard passed held the client's
 * own body, whose fields the translation drops ({@code metadata}, a message's {@code name}, {@code prediction},
 * {@code safety_identifier}) no scan read: a GitHub token there, which no upstream got, reached the audit log. The line
 * now holds the canonical body the guard read and the upstream was sent from.
 */
class DroppedFieldAuditTest {
    static final Path DIR = GuardStageTest.tempDir();

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            """ + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            store: {data-dir: "%s"}
            telemetry: {audit-log: "%s", log-content: true}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              actions: {secret: block}
            """.formatted(DIR.resolve("data"), DIR.resolve("audit.jsonl")));

    private static final String TOKEN = new FakeSecrets(39).githubToken("gh" + "p_");

    private static HttpResponse<String> post(String path, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertNeitherForwardedNorLogged(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(SLUICE.recorder().received()).isNotEmpty().allSatisfy(q -> assertThat(q.bodyText()).doesNotContain(TOKEN));
        JsonNode line = Turns.auditLine(DIR.resolve("audit.jsonl"), r.headers().firstValue("x-request-id")
                .or(() -> r.headers().firstValue("request-id")).orElseThrow());
        assertThat(line.path("guard").asText()).isEqualTo("pass");
        assertThat(line.path("request_body").asText()).contains("Say hi");
        assertThat(line.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aTokenInFieldsTheChatTranslationDropsReachesNeitherTheUpstreamNorTheAuditLog() {
        assertNeitherForwardedNorLogged(post("/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"metadata\":{\"k\":\"" + TOKEN
                + "\"},\"safety_identifier\":\"" + TOKEN + "\",\"messages\":[{\"role\":\"user\",\"name\":\"" + TOKEN
                + "\",\"content\":\"Say hi\"}]}"));
        assertNeitherForwardedNorLogged(post("/openai/v1/chat/completions", "{\"model\":\"" + SluiceHarness.MODEL
                + "\",\"prediction\":{\"type\":\"content\",\"content\":\"" + TOKEN + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}"));
    }

    @Test
    void aTokenInTheResponsesMetadataIsNotLogged() {
        assertNeitherForwardedNorLogged(post("/openai/v1/responses", "{\"model\":\"" + SluiceHarness.MODEL + "\",\"metadata\":{\"k\":\""
                + TOKEN + "\"},\"input\":\"Say hi\"}"));
    }
}
