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
 * The guard on the OpenAI front door ({@code /v1/chat/completions}): the door translates a chat completion into the
 * canonical Messages body at inspection, and the guard scans that body, so a secret anywhere the translation carries
 * text (a user message, a content part, the system prompt, a tool result, a tool call's arguments) is found. A block
 * comes back in OpenAI's error envelope, streamed or not; a redaction reaches an OpenAI upstream too. With content
 * logging on, the audit log holds the body as forwarded: nothing of a blocked request, the redacted text of another.
 */
class GuardOpenAiTest {
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
              rules: {pii: [email]}
              actions: {secret: block, pii: redact, injection: flag}
            """.formatted(DIR.resolve("data"), DIR.resolve("audit.jsonl")));

    private static final String TOKEN = new FakeSecrets(41).githubToken("gh" + "p_");

    private static HttpResponse<String> chat(String messages, boolean stream) {
        return chat(SluiceHarness.MODEL, messages, stream);
    }

    private static HttpResponse<String> chat(String model, String messages, boolean stream) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":" + messages + "}";
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + SluiceHarness.GATEWAY_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The refusal in OpenAI's envelope (no Anthropic {@code "type":"error"} wrapper), naming the rule, never the token. */
    private static JsonNode assertBlockedInOpenAiShape(HttpResponse<String> resp) {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
        assertThat(resp.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = Http.json(resp.body());
        assertThat(body.has("type")).as(resp.body()).isFalse();
        JsonNode error = body.path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(error.path("code").asText()).isEqualTo("content_policy_violation");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("message").asText()).contains("github-token").contains("nothing was sent to the model");
        assertThat(resp.body()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(4, 20));
        assertThat(SLUICE.recorder().received()).isEmpty();
        return error;
    }

    @Test
    void aSecretInAChatCompletionIsBlockedInOpenAisEnvelopeAndNothingIsForwarded() {
        HttpResponse<String> resp = chat("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Deploy with GITHUB_TOKEN=" + TOKEN + " please\"}]", false);
        JsonNode error = assertBlockedInOpenAiShape(resp);

        String requestId = resp.headers().firstValue("request-id").orElseThrow();
        assertThat(error.path("message").asText()).contains(requestId);
        JsonNode line = Turns.auditLine(DIR.resolve("audit.jsonl"), requestId);
        assertThat(line.path("status").asInt()).isEqualTo(400);
        assertThat(line.path("guard").asText()).startsWith("block: block github-token@");
        assertThat(line.path("request_body_withheld").asText()).isEqualTo("guard");
        assertThat(line.toString()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(4, 20));
    }

    @Test
    void aStreamedChatCompletionIsRefusedBeforeAnyStreamStarts() {
        assertBlockedInOpenAiShape(chat("[{\"role\":\"user\",\"content\":\"token: " + TOKEN + "\"}]", true));
    }

    @Test
    void contentPartsTheSystemPromptToolResultsAndToolCallArgumentsAreScannedToo() {
        assertBlockedInOpenAiShape(chat("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see\"},"
                + "{\"type\":\"text\",\"text\":\"GITHUB_TOKEN=" + TOKEN + "\"}]}]", false));
        assertBlockedInOpenAiShape(chat("[{\"role\":\"system\",\"content\":\"Use " + TOKEN + " for pushes.\"},"
                + "{\"role\":\"user\",\"content\":\"push\"}]", false));
        String call = "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\".env\\\"}\"}}";
        assertBlockedInOpenAiShape(chat("[{\"role\":\"user\",\"content\":\"read .env\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"GITHUB_TOKEN=" + TOKEN + "\"}]", false));
        String leaky = "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"run\",\"arguments\":"
                + "\"{\\\"command\\\":\\\"git push https://" + TOKEN + "@github.com/acme/app\\\"}\"}}";
        assertBlockedInOpenAiShape(chat("[{\"role\":\"user\",\"content\":\"push it\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + leaky + "]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"done\"}]", false));
    }

    @Test
    void personalDataIsRedactedOnItsWayToAnOpenAiUpstream() {
        HttpResponse<String> resp = chat("gpt-4o-mini", "[{\"role\":\"user\",\"content\":\"Write to ana.silva@acme-payments.io\"}]", false);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(Http.json(resp.body()).path("object").asText()).isEqualTo("chat.completion");
        assertThat(resp.headers().firstValue("x-sluice-guard")).hasValue("redact=email");
        String sent = new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8);
        assertThat(sent).doesNotContain("ana.silva@acme-payments.io").containsPattern("\\[REDACTED:email:[0-9a-f]{6}]");
        JsonNode line = Turns.auditLine(DIR.resolve("audit.jsonl"), resp.headers().firstValue("request-id").orElseThrow());
        assertThat(line.path("request_body").asText()).containsPattern("Write to \\[REDACTED:email:[0-9a-f]{6}]");
        assertThat(line.toString()).doesNotContain("ana.silva@acme-payments.io");
    }

    @Test
    void aCleanChatCompletionPassesUnchanged() {
        HttpResponse<String> resp = chat("[{\"role\":\"user\",\"content\":\"Say hello.\"}]", false);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8)).contains("Say hello.");
        JsonNode line = Turns.auditLine(DIR.resolve("audit.jsonl"), resp.headers().firstValue("request-id").orElseThrow());
        assertThat(line.path("guard").asText()).isEqualTo("pass");
        assertThat(line.path("request_body").asText()).startsWith("{\"model\":").contains("\"messages\":[{\"role\":\"user\"");
    }

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

    // Attack round 39: the OpenAI doors' own body holds fields the translation drops and no scan reads; with content
    // logging on, the audit line holds the canonical body the guard read, so a token there reaches neither the
    // upstream nor the log.

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
