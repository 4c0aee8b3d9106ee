package dev.sluice.cache.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.ClaudeCli;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Records what the real Claude Code CLI sends when two developers, each in their own home directory and
 * workspace path, ask the same question of the same repository, through a three-turn tool loop
 * ({@link ScriptedAgentUpstream}). Writes one sanitized JSON file per request.
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * SLUICE_CLAUDE_BIN=/path/to/claude java -cp target/classes:target/test-classes:$(cat target/test.cp) \
 *   dev.sluice.cache.agent.CaptureStudy src/test/resources/cache/captures
 * </pre>
 * The study runs under {@code /tmp/sluice-study}; sanitizing removes that prefix (so paths read
 * {@code /home/alice/...}), replaces device and session ids with fixed fakes and drops the API key.
 */
public final class CaptureStudy {
    static final String ROOT = "/tmp/sluice-study";
    public static final String QUESTION = "What does the add function in this repository do? Look at the code before answering.";

    private CaptureStudy() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/cache/captures");
        Files.createDirectories(out);
        Path root = Path.of(ROOT);
        StudyWorkspace.deleteTree(root);
        Path origin = StudyWorkspace.originRepo(root.resolve("origin"));
        Path bin = ClaudeCli.locate().orElseThrow(() -> new IllegalStateException("set SLUICE_CLAUDE_BIN"));
        try (ScriptedAgentUpstream upstream = ScriptedAgentUpstream.start()) {
            for (StudyWorkspace.Developer dev : List.of(StudyWorkspace.ALICE, StudyWorkspace.BOB)) {
                upstream.clear();
                Path work = dev.checkout(root, origin);
                ClaudeCli.Result r = StudyCli.run(bin, work, dev.home(root), env(upstream.baseUrl()), Duration.ofSeconds(180),
                        "-p", QUESTION, "--allowedTools", "Read,Bash(grep:*)");
                System.out.println(dev.name() + ": " + r);
                int n = 0;
                for (ScriptedAgentUpstream.Received req : upstream.received()) {
                    n++;
                    Files.writeString(out.resolve(dev.name() + "-turn" + n + ".json"), sanitize(req, dev), UTF_8);
                }
            }
        }
    }

    static Map<String, String> env(String baseUrl) {
        return Map.of("ANTHROPIC_BASE_URL", baseUrl, "ANTHROPIC_API_KEY", "sk-ant-study",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1");
    }

    /** {uri, headers: [[name, value]...], body: "<exact body text, sanitized>"}. */
    static String sanitize(ScriptedAgentUpstream.Received req, StudyWorkspace.Developer dev) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode().put("uri", req.uri());
        ArrayNode headers = node.putArray("headers");
        String session = null;
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey();
            String value = h.getValue();
            if (name.equalsIgnoreCase("x-api-key") || name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")) {
                continue;
            }
            if (name.equalsIgnoreCase("X-Claude-Code-Session-Id")) {
                session = value;
                value = dev.fakeSession();
            }
            headers.addArray().add(name).add(value);
        }
        String body = req.bodyText().replace(ROOT, "").replace(ROOT.replace('/', '-'), "");
        if (session != null) {
            body = body.replace(session, dev.fakeSession());
        }
        body = body.replaceAll("(\\\\\"device_id\\\\\":\\\\\")[0-9a-f]{64}", "$1" + dev.fakeDevice());
        node.put("body", body);
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }
}
