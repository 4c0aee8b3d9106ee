package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
            StringWriter err = new StringWriter();
            CommandLine cli = SluiceCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter()));
            int code = cli.execute("serve", "-c", config.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).startsWith("sluice serve: failed: cannot listen on 127.0.0.1:" + taken.getLocalPort())
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
        StringWriter err = new StringWriter();
        CommandLine cli = SluiceCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("sim", "--fault", "bogus", "--port", "0")).isEqualTo(1);
        assertThat(err.toString()).startsWith("sluice sim: failed: fault: 'bogus'").doesNotContain("IllegalArgumentException");
    }
}
