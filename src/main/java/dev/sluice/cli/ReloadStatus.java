package dev.sluice.cli;

import dev.sluice.store.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code <data-dir>/sluice.reload}: what a gateway says about its SIGHUP reloads, for {@code sluice reload} (without
 * {@code --url}), which cannot read the gateway's log. The first line is {@code pid=N sighup=handled|ignored|no-file};
 * after each signal the gateway adds {@code reload=K applied|refused} and what happened. The file is replaced whole,
 * so a reader sees one state or the next, never half.
 */
record ReloadStatus(long pid, String sighup, int reloads, String outcome) {
    static final String NAME = "sluice.reload";
    static final String HANDLED = "handled";
    static final String IGNORED = "ignored";
    static final String NO_FILE = "no-file";

    /** The status in {@code dataDir}, or null when there is none (or it is not one this version wrote). */
    static ReloadStatus read(Path dataDir) {
        try {
            String[] lines = Files.readString(dataDir.resolve(NAME)).split("\n", 3);
            String[] head = lines[0].split(" ");
            long pid = Long.parseLong(head[0].substring("pid=".length()));
            String sighup = head[1].substring("sighup=".length());
            if (lines.length < 2 || lines[1].isBlank()) {
                return new ReloadStatus(pid, sighup, 0, "");
            }
            int reloads = Integer.parseInt(lines[1].substring("reload=".length(), lines[1].indexOf(' ')));
            String more = lines.length > 2 ? lines[2].stripTrailing() : "";
            return new ReloadStatus(pid, sighup, reloads, lines[1].substring(lines[1].indexOf(' ') + 1)
                    + (more.isEmpty() ? "" : "\n" + more));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True when the last reload was applied (the outcome starts with {@code applied}). */
    boolean applied() {
        return outcome.startsWith("applied");
    }

    ReloadStatus after(int reload, String outcome) {
        return new ReloadStatus(pid, sighup, reload, outcome);
    }

    /** Writes it to {@code dataDir}; a status that cannot be written costs {@code sluice reload} its answer, no more. */
    void write(Path dataDir) throws IOException {
        String text = "pid=" + pid + " sighup=" + sighup + "\n" + (reloads == 0 ? "" : "reload=" + reloads + " " + outcome + "\n");
        DataDir.create(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
