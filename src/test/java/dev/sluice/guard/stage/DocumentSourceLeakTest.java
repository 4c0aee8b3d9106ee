package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack round 39: values the body walker skipped as opaque that an upstream reads as text. A plain-text document's
 * data was skipped when its source's {@code type} was written with an escape ({@code "te\u0078t"}), under an escaped
 * key, twice (base64 first, text last), or after base64-looking data; and a tool call's id was skipped though the
 * client writes it and a token fits its pattern. Each reached the simulated upstream with the guard on; now each is
 * blocked (or redacted, for a policy that redacts), and base64 PDF data is still forwarded unread.
 */
class DocumentSourceLeakTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(GuardStageTest.BASE + GuardStageTest.GUARD);
    private static final FakeSecrets FAKE = new FakeSecrets(39);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");
    private static final String AWS = FAKE.awsKeyId();

    private static String document(String source) {
        return "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"document\",\"source\":{" + source + "}},{\"type\":\"text\",\"text\":\"Summarise it\"}]}]}";
    }

    private static void assertBlockedAndNotForwarded(String body, String secret) {
        assertThat(body).contains(secret);
        HttpResponse<String> r = Turns.send(SLUICE.gatewayUrl(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(Http.json(r.body()).path("error").path("type").asText()).isEqualTo("policy_blocked");
        assertThat(SLUICE.recorder().received()).as("nothing forwarded").isEmpty();
    }

    @Test
    void aPlainTextDocumentWhoseTypeIsEscapedIsRead() {
        assertBlockedAndNotForwarded(document("\"type\":\"te\\u0078t\",\"media_type\":\"text/plain\",\"data\":\"GITHUB_TOKEN=" + TOKEN + "\""), TOKEN);
    }

    @Test
    void aPlainTextDocumentUnderAnEscapedTypeKeyIsRead() {
        assertBlockedAndNotForwarded(document("\"t\\u0079pe\":\"text\",\"media_type\":\"text/plain\",\"data\":\"" + AWS + "\""), AWS);
    }

    @Test
    void base64LookingDataBeforeItsTextTypeIsRead() {
        assertBlockedAndNotForwarded(document("\"data\":\"" + AWS + "\",\"media_type\":\"text/plain\",\"type\":\"text\""), AWS);
    }

    @Test
    void aSourceTypedTwiceIsReadWhenEitherTypeIsText() {
        assertBlockedAndNotForwarded(document("\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"GITHUB_TOKEN=" + TOKEN
                + "\",\"type\":\"text\""), TOKEN);
        assertBlockedAndNotForwarded(document("\"type\":\"text\",\"type\":\"base64\",\"media_type\":\"text/plain\",\"data\":\"GITHUB_TOKEN="
                + TOKEN + "\""), TOKEN);
    }

    @Test
    void aTokenAsAToolCallsIdIsRead() {
        String body = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + TOKEN + "\",\"name\":\"Read\",\"input\":{}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + TOKEN + "\",\"content\":\"ok\"}]}]}";
        assertBlockedAndNotForwarded(body, TOKEN);
    }

    @Test
    void aPolicyThatRedactsRedactsTheEscapedDocumentInWhatTheUpstreamGets() {
        String body = document("\"type\":\"te\\u0078t\",\"media_type\":\"text/plain\",\"data\":\"GITHUB_TOKEN=" + TOKEN + "\"");
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", "sk-sluice-second-key-0000000001");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).hasValue("redact=github-token");
        String sent = new String(SLUICE.recorder().received().getFirst().body(), StandardCharsets.UTF_8);
        assertThat(sent).doesNotContain(TOKEN).containsPattern("GITHUB_TOKEN=\\[REDACTED:github-token:[0-9a-f]{6}]");
    }

    /** Attack round 41: a text file's base64 whose type comes after its data (keys in any order) was skipped as a PDF. */
    @Test
    void aTextFileSentAsBase64WithItsTypeAfterTheDataIsBlockedOrRedacted() {
        String data = java.util.Base64.getEncoder().encodeToString(("[remote \"origin\"]\n\turl = https://ci:" + TOKEN
                + "@github.com/acme/app.git\n").getBytes(StandardCharsets.UTF_8));
        String source = "\"data\":\"" + data + "\",\"media_type\":\"text/plain\",\"type\":\"base64\"";
        assertBlockedAndNotForwarded(document(source), data);
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", document(source), "x-api-key",
                "sk-sluice-second-key-0000000001");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).hasValue("redact=github-token");
        String sent = new String(SLUICE.recorder().received().getFirst().body(), StandardCharsets.UTF_8);
        assertThat(sent).doesNotContain(data.substring(20, 60))
                .contains("\"data\":\"[REDACTED:github-token:").contains("\"type\":\"base64\"");
    }

    @Test
    void base64PdfDataIsStillForwardedUnread() {
        String body = document("\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQK\"");
        HttpResponse<String> r = Turns.send(SLUICE.gatewayUrl(), body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(new String(SLUICE.recorder().received().getFirst().body(), StandardCharsets.UTF_8)).isEqualTo(body);
    }
}
