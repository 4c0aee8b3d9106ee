package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigVersions;
import dev.sluice.config.LiveConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice reload} without {@code --url} reports what the gateway did with the SIGHUP, never the delivery of a
 * signal alone: a gateway that ignores SIGHUP (started under nohup) is a failure that points at {@code --url}.
 */
class ReloadCommandTest {
    private static final String CONFIG = """
            upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-up}]}]
            routes: [{match: "*", upstream: u%s}]
            """;

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int reload(String... args) {
        CommandLine cli = SluiceCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "reload";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    @Test
    void aGatewayThatIgnoresSighupIsNotReportedAsReloaded() throws Exception {
        // What nohup leaves behind: a process for which SIGHUP is ignored, so the signal is delivered and does nothing.
        Process ignoring = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sleep 30").start();
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve(PidFile.NAME), ignoring.pid() + "\n");
            int code = reload("--data-dir", data.toString(), "--wait", "1");
            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).contains("did not say").contains("--url");
            assertThat(out.toString()).doesNotContain("sent SIGHUP");
            assertThat(ignoring.isAlive()).isTrue();
        } finally {
            ignoring.destroy();
        }
    }

    @Test
    void aStalePidFileWhosePidIsAnotherProcessSendsNoSignal() throws Exception {
        // A gateway killed with -9 leaves its pid file; its pid now belongs to a process SIGHUP would end.
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve(PidFile.NAME), other.pid() + "\nstarted=2026-01-01T00:00:00Z\n");
            assertThat(reload("--data-dir", data.toString(), "--wait", "1")).isEqualTo(2);
            assertThat(err.toString()).contains("no running gateway").contains("process " + other.pid() + " is not the gateway");
            Thread.sleep(300);
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroy();
        }
    }

    @Test
    void thePidFileOfThisProcessNamesIt() throws Exception {
        Path data = dir.resolve("own");
        PidFile.write(data);
        assertThat(PidFile.running(data)).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aGatewayThatSaidItIgnoresSighupIsNotSignalled() throws Exception {
        Process ignoring = new ProcessBuilder("sh", "-c", "trap '' HUP; exec sleep 30").start();
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Files.writeString(data.resolve(PidFile.NAME), ignoring.pid() + "\n");
            new ReloadStatus(ignoring.pid(), ReloadStatus.IGNORED, 0, "").write(data);
            assertThat(reload("--data-dir", data.toString())).isEqualTo(1);
            assertThat(err.toString()).contains("ignores SIGHUP").contains("--url");
        } finally {
            ignoring.destroy();
        }
    }

    @Test
    void aSignalledReloadAnswersWithTheVersionOrTheRefusal() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, CONFIG.formatted(""));
        Path data = dir.resolve("data");
        ConfigLoader loader = new ConfigLoader(Map.of());
        LiveConfig live = LiveConfig.start(loader.load(file), file, loader, List.of(), new ConfigVersions(data));
        try (Reloads reloads = Reloads.start(live, false, data)) {
            ReloadStatus status = ReloadStatus.read(data);
            assertThat(status.pid()).isEqualTo(ProcessHandle.current().pid());
            Files.writeString(file, CONFIG.formatted(", model: claude-haiku-4-5"));
            reloads.onSignal();
            assertThat(ReloadStatus.read(data).reloads()).isEqualTo(1);
            assertThat(ReloadStatus.read(data).outcome()).startsWith("applied").contains("version 2 (was 1)");
            Files.writeString(file, "routes: [oops\n");
            reloads.onSignal();
            assertThat(ReloadStatus.read(data).outcome()).startsWith("refused").contains("version 2 keeps serving");
            assertThat(live.current().version()).isEqualTo(2);
            if (status.sighup().equals(ReloadStatus.HANDLED)) {
                // This JVM receives SIGHUP through the handler just installed: the command waits for its answer.
                PidFile.write(data);
                Files.writeString(file, CONFIG.formatted(""));
                assertThat(reload("--data-dir", data.toString(), "--wait", "20")).as(err.toString()).isZero();
                assertThat(out.toString()).contains("applied").contains("version 3 (was 2)");
            } else {
                assertThat(status.sighup()).isEqualTo(ReloadStatus.IGNORED);
            }
        }
    }
}
