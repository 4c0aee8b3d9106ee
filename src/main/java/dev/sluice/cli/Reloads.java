package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.LiveConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What makes a running gateway re-read its configuration file: SIGHUP, and optionally a watch on the file
 * ({@link ConfigWatch}). A refused file is logged with its error; the running version keeps serving. What a SIGHUP
 * did is written to {@link ReloadStatus} for {@code sluice reload}; a process started with SIGHUP ignored (nohup,
 * some supervisors) cannot receive it, which the log says at start and the status tells {@code sluice reload}.
 */
final class Reloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloads.class);

    private final LiveConfig live;
    private final Path dataDir;
    private ReloadStatus status;
    private ConfigWatch watch;

    private Reloads(LiveConfig live, Path dataDir) {
        this.live = live;
        this.dataDir = dataDir;
    }

    static Reloads start(LiveConfig live, boolean watch, Path dataDir) throws IOException {
        Reloads r = new Reloads(live, dataDir);
        String sighup = live.file() == null ? ReloadStatus.NO_FILE : r.handleSighup() ? ReloadStatus.HANDLED : ReloadStatus.IGNORED;
        r.status = new ReloadStatus(ProcessHandle.current().pid(), sighup, 0, "");
        r.writeStatus();
        if (live.file() != null && watch) {
            r.watch = ConfigWatch.start(live);
        }
        return r;
    }

    /** Installs the SIGHUP handler; false when this process cannot receive SIGHUP. */
    private boolean handleSighup() {
        SignalHandler before;
        try {
            before = Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(this::onSignal));
        } catch (IllegalArgumentException e) {
            before = SignalHandler.SIG_IGN; // taken by the JVM itself (-Xrs)
        }
        if (before == SignalHandler.SIG_IGN) {
            // The JVM keeps a signal ignored at start ignored (nohup does that): kill -HUP would do nothing at all.
            LOG.warn("SIGHUP is ignored by this process (started under nohup or by a supervisor that ignores it): SIGHUP"
                    + " and `sluice reload` without --url cannot reload the configuration; use `sluice reload --url ...`,"
                    + " POST /admin/config/reload or --watch-config, or start the gateway without ignoring SIGHUP");
            return false;
        }
        return true;
    }

    /** One SIGHUP: reloads the file and says how it went, in the log and in the status file. */
    synchronized void onSignal() {
        String outcome;
        try {
            LiveConfig.Applied a = live.reload("SIGHUP", "signal");
            if (a.unchanged()) {
                outcome = "applied " + Instant.now() + ": unchanged, version " + a.version() + " keeps serving";
            } else {
                LOG.info("configuration reloaded (signal): version {} (was {})", a.version(), a.previous());
                outcome = "applied " + Instant.now() + ": version " + a.version() + " (was " + a.previous() + ")"
                        + (a.restartNeeded().isEmpty() ? "" : "; needs a restart to take effect: " + a.restartNeeded());
            }
        } catch (ConfigException | java.io.UncheckedIOException e) {
            LOG.error("configuration reload (signal) refused; version {} keeps serving: {}", live.current().version(),
                    e.getMessage());
            outcome = "refused " + Instant.now() + "; version " + live.current().version() + " keeps serving: " + e.getMessage();
        }
        status = status.after(status.reloads() + 1, outcome);
        writeStatus();
    }

    private void writeStatus() {
        try {
            status.write(dataDir);
        } catch (IOException e) {
            LOG.warn("cannot write {} (sluice reload will not know what a SIGHUP did): {}", dataDir.resolve(ReloadStatus.NAME),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
