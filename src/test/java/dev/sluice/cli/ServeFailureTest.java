package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A start that fails for a reason outside the configuration says what failed in words, not a library's stack trace.
 * The data dir is not a {@code @TempDir}: the failed start closes what it opened after it answered, and JUnit's
 * cleanup could race that; it is removed at the end, best effort.
 */
class ServeFailureTest {

    @Test
    void aPortAlreadyTakenEndsTheStartWithOneClearMessage() throws Exception {
        Path dir = Files.createTempDirectory("sluice-serve-failure");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("sluice.yaml");
            Files.writeString(config, """
                    server: {port: %d, event-loops: 1}
                    upstreams: [{name: up, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-x}]}]
                    store: {data-dir: "%s"}
                    telemetry: {metrics: false}
                    """.formatted(taken.getLocalPort(), dir.resolve("data")));
            CliRun run = CliRun.of("serve", "-c", config.toString());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).startsWith("sluice serve: failed: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("address already in use")
                    .doesNotContain("BindException")
                    .doesNotContain("\tat ");
        } finally {
            Thread.sleep(500); // the failed start's parts close in the background
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aBadSimFaultIsAMessageWithoutAJavaClassName() {
        CliRun run = CliRun.of("sim", "--fault", "bogus", "--port", "0");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("sluice sim: failed: fault: 'bogus'").doesNotContain("IllegalArgumentException");
    }

    /** A port no socket can have is the caller's mistake (exit 2), not the simulator failing (it was exit 1). */
    @Test
    void aSimPortOutOfRangeIsAUsageError() {
        CliRun run = CliRun.of("sim", "--port", "99999");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--port: 99999").doesNotContain("\tat ");
    }
}
