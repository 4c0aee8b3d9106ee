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
        Files.writeString(f, Long.toString(ProcessHandle.current().pid()) + "\n");
        return new PidFile(f);
    }

    /** The pid written in {@code dataDir}, or -1. */
    static long read(Path dataDir) {
        try {
            return Long.parseLong(Files.readString(dataDir.resolve(NAME)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale pid file is harmless: reload checks the process exists
        }
    }
}
