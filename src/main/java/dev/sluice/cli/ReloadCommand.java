package dev.sluice.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice reload}: the running gateway re-reads its configuration file. Through the admin API
 * with {@code --url} (the answer says which version serves, or why the file was refused), else by
 * SIGHUP to the process named in the data directory's pid file (its log says what happened).
 */
@Command(name = "reload", description = "Make the running gateway re-read its configuration file.")
public final class ReloadCommand implements Callable<Integer> {
    @Mixin
    AdminClient admin;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of the gateway, for its pid file (default: .sluice-data).")
    Path dataDir = Path.of(".sluice-data");

    @Override
    public Integer call() throws Exception {
        if (admin.configured()) {
            AdminClient.Result r = admin.call("POST", "/admin/config/reload");
            System.out.println(r.body());
            return r.ok() ? 0 : 1;
        }
        long pid = PidFile.read(dataDir);
        if (pid <= 0 || ProcessHandle.of(pid).isEmpty()) {
            System.err.println("sluice: no running gateway found through " + dataDir.resolve(PidFile.NAME)
                    + " (pass --data-dir, or --url to use the admin API)");
            return 2;
        }
        int rc = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start().waitFor();
        if (rc == 0) {
            System.out.println("sent SIGHUP to the gateway (pid " + pid + "); its log says which version serves"
                    + " (or `sluice config versions --url ...`)");
        }
        return rc == 0 ? 0 : 1;
    }
}
