package dev.sluice.front.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.ClaudeCli;
import dev.sluice.testing.RecordingRelay;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI in Bedrock mode holding AWS credentials (so it signs every call with SigV4) and the
 * gateway's key in a custom {@code x-api-key} header, without {@code CLAUDE_CODE_SKIP_BEDROCK_AUTH}: the key is good,
 * the signature is what the door refuses, and the refusal must reach the CLI as a refused credential it reports at
 * once, not as a denied model it answers by trying every other model it knows.
 */
class BedrockDoorSigV4CliTest {
    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.standard();

    @Test
    void aSignedCallWithAGoodKeyIsRefusedOnceAsACredentialNotRetriedModelByModel(@TempDir Path tmp) throws Exception {
        Path bin = ClaudeCli.require();
        List<String> posts = new ArrayList<>();
        ClaudeCli.Result result;
        try (RecordingRelay relay = new RecordingRelay(SLUICE.gatewayPort(), (req, body, resp, answer) -> {
            synchronized (posts) {
                if (req.method().name().equals("POST")) {
                    posts.add(req.path() + " " + resp.statusCode() + " " + resp.getHeader("x-amzn-ErrorType"));
                }
            }
        })) {
            Map<String, String> env = Map.of(
                    "CLAUDE_CODE_USE_BEDROCK", "1",
                    "ANTHROPIC_BEDROCK_BASE_URL", relay.url() + "/bedrock",
                    "AWS_ACCESS_KEY_ID", "AKIDEXAMPLESLUICE00",
                    "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "AWS_REGION", "us-east-1",
                    "ANTHROPIC_CUSTOM_HEADERS", "x-api-key: " + SluiceHarness.GATEWAY_KEY,
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1",
                    "DISABLE_AUTOUPDATER", "1");
            result = ClaudeCli.run(bin, Files.createDirectories(tmp.resolve("work")), Files.createDirectories(tmp.resolve("home")),
                    env, Duration.ofSeconds(60), "-p", "Say hello");
        }
        String seen = result + "\n" + String.join("\n", posts);
        assertThat(result.exitCode()).as(seen).isNotZero();
        assertThat(posts).as(seen).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).endsWith(" 401 UnrecognizedClientException"));
        assertThat(SLUICE.recorder().received()).isEmpty();
    }
}
