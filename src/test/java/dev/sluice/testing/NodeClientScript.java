package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A node script from {@code src/test/resources/npm} that drives a client library installed in {@code src/test/npm}
 * against a gateway and prints one JSON object. The script gets {@code NPM_MODULES} (the node_modules folder),
 * {@code BASE_URL}, {@code API_KEY} and {@code MODEL}, plus what the test adds; the packages it loads are checked
 * first with {@link NpmPackage#require}, so a missing one fails under CI and is skipped elsewhere.
 */
public final class NodeClientScript {
    private final String resource;
    private final Path work;
    private final Map<String, String> base;

    /**
     * @param resource the script's name under {@code /npm/}
     * @param work     a temporary folder for the script and its output
     * @param baseUrl  what the library is pointed at
     * @param packages the npm packages the script loads
     */
    public NodeClientScript(String resource, Path work, String baseUrl, String... packages) {
        Path modules = null;
        for (String p : packages) {
            modules = NpmPackage.require(p).getParent();
            if (p.startsWith("@")) {
                modules = modules.getParent();
            }
        }
        this.resource = resource;
        this.work = work;
        this.base = Map.of("NPM_MODULES", String.valueOf(modules), "BASE_URL", baseUrl,
                "API_KEY", SluiceHarness.GATEWAY_KEY, "MODEL", SluiceHarness.MODEL);
    }

    /** Runs the script with {@code env} added; it must exit 0. */
    public JsonNode run(Map<String, String> env) throws IOException, InterruptedException {
        NpmPackage.Run r = start(env);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Http.json(r.stdout());
    }

    /** Runs the script with {@code env} added, whatever its exit code. */
    public NpmPackage.Run start(Map<String, String> env) throws IOException, InterruptedException {
        Path script = work.resolve(resource);
        if (!Files.exists(script)) {
            try (InputStream in = NodeClientScript.class.getResourceAsStream("/npm/" + resource)) {
                Files.write(script, in.readAllBytes());
            }
        }
        Map<String, String> all = new HashMap<>(base);
        all.putAll(env);
        return NpmPackage.run(script, work, all, Duration.ofSeconds(45));
    }
}
