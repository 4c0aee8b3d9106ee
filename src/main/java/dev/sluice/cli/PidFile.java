package dev.sluice.cli;

import dev.sluice.store.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code <data-dir>/sluice.pid}: how {@code sluice reload} finds the running gateway to send it SIGHUP. */
final class PidFile {
    static final String NAME = "sluice.pid";
    private final Path file;

    private PidFile(Path file) {
        this.file = file;
    }

    static PidFile write(Path dataDir) throws IOException {
        Path f = dataDir.resolve(NAME);
        DataDir.create(dataDir);
        ProcessHandle self = ProcessHandle.current();
        // The start time too: after a crash the pid may be another process's, and SIGHUP ends most processes.
        Files.writeString(f, self.pid() + "\n" + self.info().startInstant().map(i -> "started=" + i + "\n").orElse(""));
        return new PidFile(f);
    }

    /** The pid written in {@code dataDir}, or -1. */
    static long read(Path dataDir) {
        try {
            return Long.parseLong(Files.readString(dataDir.resolve(NAME)).lines().findFirst().orElse("").trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The pid of the gateway that wrote the file in {@code dataDir} while it still runs, or -1: no file, no such
     * process, or a process that started at another time than the one recorded (attack round 27: a gateway killed
     * with -9 left its pid file, and once the pid was another process's, {@code sluice reload} sent that process SIGHUP,
     * which ends most programs). A file without a start time (an older gateway's) is taken at its word.
     */
    static long running(Path dataDir) {
        long pid = read(dataDir);
        java.util.Optional<ProcessHandle> p = pid <= 0 ? java.util.Optional.empty() : ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return -1;
        }
        String recorded;
        try {
            recorded = Files.readString(dataDir.resolve(NAME)).lines().filter(l -> l.startsWith("started="))
                    .map(l -> l.substring("started=".length()).trim()).findFirst().orElse(null);
        } catch (IOException e) {
            return -1;
        }
        if (recorded == null) {
            return pid;
        }
        java.util.Optional<java.time.Instant> started = p.get().info().startInstant();
        return started.isPresent() && started.get().toString().equals(recorded) ? pid : -1;
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale pid file is harmless: reload checks the process exists
        }
    }
}
