package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload of the configuration that serves adds no version; a rollback says that the file still holds a newer
 * configuration (which the next reload from it brings back), or, asked to, writes the version's exact text to the file.
 */
class LiveConfigRollbackTest {
    private static final String V1 = """
            # version one, comments and all
            upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-up}]}]
            routes: [{match: "*", upstream: u}]
            """;
    private static final String V2 = V1.replace("upstream: u}", "upstream: u, model: claude-haiku-4-5}");

    @TempDir
    Path dir;

    private LiveConfig start(Path file, Map<String, String> env) throws Exception {
        Files.writeString(file, V1);
        ConfigLoader loader = new ConfigLoader(env);
        return LiveConfig.start(loader.load(file), file, loader, List.of(), new ConfigVersions(dir.resolve("data")));
    }

    @Test
    void aReloadOfTheServingConfigurationIsUnchangedAndAddsNoVersion() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        LiveConfig live = start(file, Map.of());
        Files.writeString(file, V2);
        assertThat(live.reload("watch", "file watch").unchanged()).isFalse();
        LiveConfig.Applied again = live.reload("SIGHUP", "signal");
        assertThat(again.unchanged()).isTrue();
        assertThat(again.version()).isEqualTo(2);
        assertThat(live.history()).hasSize(2);
        assertThat(live.current().version()).isEqualTo(2);
    }

    @Test
    void theSameTextResolvingToOtherValuesIsANewVersion() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Map<String, String> env = new java.util.HashMap<>(Map.of("UP_KEY", "sk-one"));
        Files.writeString(file, V1.replace("sk-up", "\"${UP_KEY}\""));
        ConfigLoader loader = new ConfigLoader(env);
        LiveConfig live = LiveConfig.start(loader.load(file), file, loader, List.of(), new ConfigVersions(dir.resolve("data")));
        env.put("UP_KEY", "sk-two"); // a secret rotated in the environment: the text is the same, what serves is not
        assertThat(live.reload("SIGHUP", "signal").unchanged()).isFalse();
        assertThat(live.history()).hasSize(2);
    }

    @Test
    void aRollbackSaysTheFileStillHoldsTheNewerConfiguration() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        LiveConfig live = start(file, Map.of());
        Files.writeString(file, V2);
        live.reload("watch", "file watch");
        LiveConfig.Applied back = live.rollback(1, "ops");
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.note()).contains(file.toString()).contains("still holds a newer configuration")
                .contains("next reload").contains("--write");
        assertThat(Files.readString(file)).isEqualTo(V2);
    }

    @Test
    void aRollbackWithWriteLeavesTheVersionsExactTextInTheFileAndTheNextReloadKeepsIt() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        LiveConfig live = start(file, Map.of());
        Files.writeString(file, V2);
        live.reload("watch", "file watch");
        LiveConfig.Applied back = live.rollback(1, "ops", true);
        assertThat(back.note()).startsWith("wrote version 1 to ");
        assertThat(Files.readString(file)).isEqualTo(V1);
        assertThat(live.current().config().routes().getFirst().model()).isNull();
        LiveConfig.Applied reload = live.reload("watch", "file watch");
        assertThat(reload.unchanged()).isTrue();
        assertThat(live.current().version()).isEqualTo(3);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactlyInAnyOrder("sluice.yaml", "data");
        }
    }
}
