package dev.sluice.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice reload}: the running gateway re-reads its configuration file. Through the admin API
 * with {@code --url} (the answer says which version serves, or why the file was refused), else by
 * SIGHUP to the process named in the data directory's pid file; the gateway then writes what happened
 * to {@link ReloadStatus}, which this command waits for. No answer in time (a gateway that ignores
 * SIGHUP, or one too old to write the status) is a failure: a signal's delivery says nothing.
 */
@Command(name = "reload", description = "Make the running gateway re-read its configuration file.")
public final class ReloadCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of the gateway, for its pid file (default: .sluice-data).")
    Path dataDir = Path.of(".sluice-data");

    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long to wait for the gateway to say what the SIGHUP did (1-300, default: 15).")
    int waitSeconds = 15;

    @Option(names = "--json", description = "With --url: print the admin API's JSON answer.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (admin.configured()) {
            return ConfigCommand.print(spec, admin.call("POST", "/admin/config/reload"), json, ConfigCommand::printApplied);
        }
        long pid = PidFile.running(dataDir);
        if (pid <= 0) {
            long written = PidFile.read(dataDir);
            err.println("sluice: no running gateway found through " + dataDir.resolve(PidFile.NAME)
                    + (written > 0 && ProcessHandle.of(written).isPresent() ? " (process " + written + " is not the gateway"
                    + " that wrote it: not signalled)" : "") + " (pass --data-dir, or --url to use the admin API)");
            return 2;
        }
        if (waitSeconds < 1 || waitSeconds > 300) {
            err.println("sluice: --wait " + waitSeconds + " (expected: 1 to 300 seconds)");
            return 2;
        }
        ReloadStatus before = ReloadStatus.read(dataDir);
        if (before != null && before.pid() == pid && !before.sighup().equals(ReloadStatus.HANDLED)) {
            err.println("sluice: the gateway (pid " + pid + ") " + (before.sighup().equals(ReloadStatus.NO_FILE)
                    ? "was started without a configuration file: there is nothing to re-read"
                    : "ignores SIGHUP (started under nohup or by a supervisor that ignores it): use --url with an admin key,"
                    + " or --watch-config, or restart it without ignoring SIGHUP"));
            return 1;
        }
        int rc = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor();
        if (rc != 0) {
            return 1;
        }
        int seen = before != null && before.pid() == pid ? before.reloads() : 0;
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            ReloadStatus now = ReloadStatus.read(dataDir);
            if (now != null && now.pid() == pid && now.reloads() > seen) {
                (now.applied() ? out : err).println("sluice: " + now.outcome());
                return now.applied() ? 0 : 1;
            }
            Thread.sleep(100);
        }
        err.println("sluice: sent SIGHUP to the gateway (pid " + pid + ") but it did not say within " + waitSeconds
                + " s that it reloaded (it may ignore SIGHUP, or be too old to say); its log tells, and `sluice reload"
                + " --url URL --admin-key KEY` reloads through the admin API and answers with the version");
        return 1;
    }
}
