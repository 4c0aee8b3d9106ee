package dev.sluice.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each new {@link StoreChanges} row to a sink (the audit log), once, in order, on one daemon thread. The last
 * row handed over is remembered in a small file, written after the sink took the row, so a restart neither skips a
 * change nor repeats more than the one a crash interrupted. With no file yet (a new data directory), every row in the
 * table is handed over: the audit log then starts with the store's whole history of such changes.
 */
public final class StoreChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreChangeFeed.class);
    private static final int BATCH = 500;

    private final StoreChanges changes;
    private final Path cursorFile;
    private final Consumer<StoreChanges.Row> sink;
    private final ScheduledExecutorService thread;
    private long cursor;
    private boolean failing;

    private StoreChangeFeed(StoreChanges changes, Path cursorFile, Consumer<StoreChanges.Row> sink) {
        this.changes = changes;
        this.cursorFile = cursorFile;
        this.sink = sink;
        this.cursor = readCursor(cursorFile);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-store-changes");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling every {@code every}; the first poll runs at once. */
    public static StoreChangeFeed start(StoreChanges changes, Path cursorFile, Consumer<StoreChanges.Row> sink,
                                        Duration every) {
        StoreChangeFeed feed = new StoreChangeFeed(changes, cursorFile, sink);
        feed.thread.scheduleWithFixedDelay(feed::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return feed;
    }

    /** Hands over every row after the cursor; quiet (one warning per outage) when the store cannot be read. */
    void poll() {
        try {
            List<StoreChanges.Row> rows;
            do {
                rows = changes.after(cursor, BATCH);
                for (StoreChanges.Row r : rows) {
                    sink.accept(r);
                    cursor = r.seq();
                }
                if (!rows.isEmpty()) {
                    writeCursor();
                }
            } while (rows.size() == BATCH);
            if (failing) {
                LOG.info("store changes reach the audit log again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot copy store changes to the audit log yet (will retry): {}", e.getMessage());
                failing = true;
            }
        }
    }

    private void writeCursor() {
        try {
            Path tmp = cursorFile.resolveSibling(cursorFile.getFileName() + ".tmp");
            Files.writeString(tmp, Long.toString(cursor), StandardCharsets.US_ASCII);
            Files.move(tmp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + cursorFile + ": " + e.getMessage(), e);
        }
    }

    private static long readCursor(Path file) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            // An unreadable cursor repeats history rather than skipping it: a duplicate line is safer than a lost one.
            LOG.warn("{} is unreadable ({}); copying store changes from the start", file, e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
