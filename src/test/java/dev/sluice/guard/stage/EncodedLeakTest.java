package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Credentials that reached the provider in an encoding (attack round 40): percent escapes, base64 of a {@code NAME=secret}
 * line in a tool result, a Cyrillic look-alike in a token's prefix, and a text file attached as base64 on the OpenAI door.
 * Through the real gateway and the sim upstream: the default key's policy blocks (nothing forwarded), the second key's
 * redacts (the encoded bytes replaced, nothing of the token forwarded), on the Anthropic and the OpenAI doors; clean
 * look-alikes pass untouched.
 */
class EncodedLeakTest {
    static final Path DIR = GuardStageTest.tempDir();
    private static final String REDACTING_KEY = "sk-sluice-second-key-0000000001";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}", "%s"]}
            """.formatted(REDACTING_KEY) + SluiceHarness.ANTHROPIC_AND_OPENAI_UPSTREAMS + """
            routes:
              - {match: "gpt-*", upstream: openai}
              - {match: "*", upstream: anthropic}
            store: {data-dir: "%s"}
            telemetry: {audit-log: "%s"}
            guard:
              enabled: true
              redaction-key: "test-redaction-key-0123456789"
              actions: {secret: block, pii: redact, injection: flag}
              policies:
                - match: {key: "config key 2"}
                  actions: {secret: redact}
            """.formatted(DIR.resolve("data"), DIR.resolve("audit.jsonl")));

    private static final FakeSecrets FAKE = new FakeSecrets(40);
    private static final String TOKEN = FAKE.githubToken("gh" + "p_");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> messages(String key, String text) {
        String body = new Turns("Deploy the app").read("/repo/notes.txt", text).body();
        return Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", key);
    }

    private static HttpResponse<String> chat(String key, String messages) {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":" + messages + "}";
        return Http.send(HttpRequest.newBuilder(URI.create(SLUICE.gatewayUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertBlocked(HttpResponse<String> resp, String rule, String... secretParts) {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(400);
        assertThat(resp.body()).contains("policy_blocked").contains(rule);
        for (String part : secretParts) {
            assertThat(resp.body()).doesNotContain(part);
        }
        assertThat(SLUICE.recorder().received()).isEmpty();
    }

    private static String assertRedacted(HttpResponse<String> resp, String rule, String... secretParts) {
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-guard")).hasValue("redact=" + rule);
        String sent = new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8);
        for (String part : secretParts) {
            assertThat(sent).doesNotContain(part);
        }
        assertThat(sent).containsPattern("\\[REDACTED:" + rule + ":[0-9a-f]{6}]");
        return sent;
    }

    @Test
    void aPercentEncodedTokenIsBlockedOrRedactedOnBothDoors() {
        String encoded = TOKEN.replace("_", "%5F");
        String text = "curl 'https://api.example.com/hook?token=" + encoded + "&x=1'";
        String chat = "[{\"role\":\"user\",\"content\":\"" + text + "\"}]";
        assertBlocked(messages(SluiceHarness.GATEWAY_KEY, text), "github-token", TOKEN.substring(4, 20));
        assertBlocked(chat(SluiceHarness.GATEWAY_KEY, chat), "github-token", TOKEN.substring(4, 20));
        String sent = assertRedacted(messages(REDACTING_KEY, text), "github-token", TOKEN.substring(4, 20), encoded);
        assertThat(sent).containsPattern("token=\\[REDACTED:github-token:[0-9a-f]{6}]&x=1");
        assertRedacted(chat(REDACTING_KEY, chat), "github-token", TOKEN.substring(4, 20));
    }

    @Test
    void base64OfATokenLineInAToolResultIsBlockedOrRedactedOnBothDoors() {
        String encoded = b64("GITHUB_TOKEN=" + TOKEN + "\n");
        String text = "$ echo " + encoded + " | base64 -d > .env";
        String chat = "[{\"role\":\"user\",\"content\":\"decode " + encoded + " for me\"}]";
        assertBlocked(messages(SluiceHarness.GATEWAY_KEY, text), "github-token", encoded.substring(16, 40));
        assertBlocked(chat(SluiceHarness.GATEWAY_KEY, chat), "github-token", encoded.substring(16, 40));
        String sent = assertRedacted(messages(REDACTING_KEY, text), "github-token", encoded.substring(16, 40), TOKEN.substring(4, 20));
        assertThat(sent).containsPattern("echo \\[REDACTED:github-token:[0-9a-f]{6}] \\| base64 -d");
        assertRedacted(chat(REDACTING_KEY, chat), "github-token", encoded.substring(16, 40));
    }

    @Test
    void aCyrillicLetterInATokenPrefixIsBlockedOrRedactedOnBothDoors() {
        String lookAlike = "gh\u0440" + TOKEN.substring(3);
        String text = "the deploy key is " + lookAlike + " (rotate monthly)";
        String chat = "[{\"role\":\"user\",\"content\":\"" + text + "\"}]";
        assertBlocked(messages(SluiceHarness.GATEWAY_KEY, text), "github-token", TOKEN.substring(4, 20));
        assertBlocked(chat(SluiceHarness.GATEWAY_KEY, chat), "github-token", TOKEN.substring(4, 20));
        String sent = assertRedacted(messages(REDACTING_KEY, text), "github-token", TOKEN.substring(4, 20));
        assertThat(sent).contains("the deploy key is [REDACTED:github-token:");
        assertRedacted(chat(REDACTING_KEY, chat), "github-token", TOKEN.substring(4, 20));
    }

    @Test
    void aTextFileAttachedAsBase64OnTheOpenAiDoorIsDecodedAndScanned() {
        String data = b64("# settings\nREGION=eu-west-1\ngit remote set-url origin https://x:" + TOKEN + "@github.com/acme/app\n");
        String file = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is in this file?\"},"
                + "{\"type\":\"file\",\"file\":{\"filename\":\"settings.txt\",\"file_data\":\"data:text/plain;base64," + data + "\"}}]}]";
        assertBlocked(chat(SluiceHarness.GATEWAY_KEY, file), "github-token", data.substring(40, 80));
        String sent = assertRedacted(chat(REDACTING_KEY, file), "github-token", data.substring(40, 80), TOKEN.substring(4, 20));
        assertThat(sent).contains("what is in this file?");
        // A PDF stays unread (opaque binary): the same bytes under application/pdf pass.
        String pdf = file.replace("data:text/plain", "data:application/pdf");
        HttpResponse<String> passed = chat(SluiceHarness.GATEWAY_KEY, pdf);
        assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
    }

    @Test
    void aTokenSplitAcrossTwoTextBlocksIsBlockedOrRedactedPartByPartOnBothDoors() {
        String blocks = "[{\"type\":\"text\",\"text\":\"push with " + TOKEN.substring(0, 11) + "\"},"
                + "{\"type\":\"text\",\"text\":\"" + TOKEN.substring(11) + " now\"}]";
        String anthropic = "{\"model\":\"" + SluiceHarness.MODEL + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
                + blocks + "}]}";
        String chat = "[{\"role\":\"user\",\"content\":" + blocks + "}]";
        assertBlocked(Http.post(SLUICE.gatewayUrl(), "/v1/messages", anthropic, "x-api-key", SluiceHarness.GATEWAY_KEY),
                "github-token", TOKEN.substring(11, 30));
        assertBlocked(chat(SluiceHarness.GATEWAY_KEY, chat), "github-token", TOKEN.substring(11, 30));
        String sent = assertRedacted(Http.post(SLUICE.gatewayUrl(), "/v1/messages", anthropic, "x-api-key", REDACTING_KEY),
                "github-token", TOKEN.substring(0, 11), TOKEN.substring(11, 30));
        assertThat(sent).containsPattern("\"push with \\[REDACTED:github-token:[0-9a-f]{6}]\"")
                .containsPattern("\"\\[REDACTED:github-token:[0-9a-f]{6}] now\"");
        assertRedacted(chat(REDACTING_KEY, chat), "github-token", TOKEN.substring(0, 11), TOKEN.substring(11, 30));
    }

    @Test
    void cleanLookAlikesPassUntouched() {
        String code = "function token() {\n  return store.current(secretName, password => password.trim());\n}\n";
        String text = "See https://example.com/search?q=a%2Fb%3Dc&path=%2Fusr%2Flocal and " + b64(code)
                + "\nПривет: сервер и клиент работают. Let α = 2πr, ρ·ν = κ. The tok\u0435n is fine.";
        HttpResponse<String> resp = messages(SluiceHarness.GATEWAY_KEY, text);
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-guard")).isEmpty();
        assertThat(new String(SLUICE.recorder().received().getLast().body(), StandardCharsets.UTF_8)).contains("%2Fusr%2Flocal");
        String notes = b64("notes for the release\nremember to bump the version\n");
        String file = "[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"filename\":\"n.txt\",\"file_data\":"
                + "\"data:text/plain;base64," + notes + "\"}}]}]";
        HttpResponse<String> chat = chat(SluiceHarness.GATEWAY_KEY, file);
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(chat.headers().firstValue("x-sluice-guard")).isEmpty();
        String split = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"the config\"},"
                + "{\"type\":\"text\",\"text\":\"uration lives in README.md\"}]}]";
        HttpResponse<String> words = chat(SluiceHarness.GATEWAY_KEY, split);
        assertThat(words.statusCode()).as(words.body()).isEqualTo(200);
        assertThat(words.headers().firstValue("x-sluice-guard")).isEmpty();
    }
}
