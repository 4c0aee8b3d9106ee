package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigVersions;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --watch-config} applies a file once it is written, never half of it, and follows a Kubernetes
 * ConfigMap volume, whose update swaps a {@code ..data} symlink and leaves the file's own path as it was.
 */
class ConfigWatchTest {
    private static final String CONFIG = """
            auth: {keys: ["sk-gateway-key-123456"]}
            upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-up}]}]
            routes: [{match: "*", upstream: u%s}]
            guard:
              enabled: true
              rules: {secrets: true}
            """;

    @TempDir
    Path dir;

    private LiveConfig live(Path file) {
        ConfigLoader loader = new ConfigLoader(Map.of());
        return LiveConfig.start(loader.load(file), file, loader, List.of(), new ConfigVersions(dir.resolve("data")));
    }

    @Test
    void aFileWrittenWithAPauseMidLineIsAppliedOnlyWhole() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, CONFIG.formatted(""));
        LiveConfig live = live(file);
        List<Snapshot> applied = new CopyOnWriteArrayList<>();
        live.onApplied(applied::add);
        try (Reloads ignored = Reloads.start(live, true, dir.resolve("data"))) {
            String whole = CONFIG.formatted(", model: claude-haiku-4-5");
            String half = whole.substring(0, whole.indexOf("enabled:") + "enabled:".length());
            Files.writeString(file, half); // parses: "enabled:" with no value is the guard off
            Thread.sleep(1_500); // longer than a save's burst of events
            Files.writeString(file, whole);
            Await.until(Duration.ofSeconds(15), () -> applied.isEmpty() ? null : true, () -> "the whole file applied");
            Thread.sleep(500);
        }
        assertThat(applied).hasSize(1);
        assertThat(applied.getFirst().config().guard().enabled()).isTrue();
        assertThat(applied.getFirst().config().routes().getFirst().model()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void aFileNotInUtf8IsRefusedAtOnceWithItsReason() throws Exception {
        // Before: the watch read it as "could not be read", waited a minute, then said the file "kept changing".
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, CONFIG.formatted(""));
        LiveConfig live = live(file);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ConfigWatch.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try (Reloads ignored = Reloads.start(live, true, dir.resolve("data"))) {
            Files.write(file, (CONFIG.formatted("") + "# caf\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            Await.until(Duration.ofSeconds(5), () -> seen.list.stream().anyMatch(e -> e.getFormattedMessage()
                    .contains("not UTF-8 text (byte 0xe9 at line 7")) ? true : null, () -> "the refusal logged: " + seen.list);
            Thread.sleep(1_000);
        } finally {
            log.detachAppender(seen);
        }
        assertThat(seen.list).filteredOn(e -> e.getFormattedMessage().contains("not UTF-8")).hasSize(1);
        assertThat(live.current().version()).isEqualTo(1);
    }

    @Test
    void aFileChangedWhileTheGatewayStartedIsAppliedOnTheNextEvent() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, CONFIG.formatted(""));
        LiveConfig live = live(file);
        Files.writeString(file, CONFIG.formatted(", model: claude-haiku-4-5")); // before the watch starts
        try (Reloads ignored = Reloads.start(live, true, dir.resolve("data"))) {
            Files.writeString(dir.resolve("notes.txt"), "another file in the directory\n");
            Await.until(Duration.ofSeconds(15), () -> live.current().version() == 2 ? true : null, () -> "version 2 applied");
        }
        assertThat(live.current().config().routes().getFirst().model()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void aConfigMapUpdateIsApplied() throws Exception {
        // A ConfigMap volume: sluice.yaml -> ..data/sluice.yaml, ..data -> ..v1; an update writes ..v2 and swaps ..data.
        Files.createDirectories(dir.resolve("..v1"));
        Files.writeString(dir.resolve("..v1/sluice.yaml"), CONFIG.formatted(""));
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Path file = dir.resolve("sluice.yaml");
        Files.createSymbolicLink(file, Path.of("..data/sluice.yaml"));
        LiveConfig live = live(file);
        try (Reloads ignored = Reloads.start(live, true, dir.resolve("data"))) {
            Files.createDirectories(dir.resolve("..v2"));
            Files.writeString(dir.resolve("..v2/sluice.yaml"), CONFIG.formatted(", model: claude-haiku-4-5"));
            Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            Await.until(Duration.ofSeconds(15), () -> live.current().version() == 2 ? true : null, () -> "version 2 applied");
        }
        assertThat(live.current().config().routes().getFirst().model()).isEqualTo("claude-haiku-4-5");
    }
}
