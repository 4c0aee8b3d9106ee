package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.LiveConfig;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * What makes a running gateway re-read its configuration file: SIGHUP, and optionally a watch on the
 * file (editors and config-map updates replace files, so the directory is watched and changes are
 * debounced). A refused file is logged with its error; the running version keeps serving.
 */
final class Reloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloads.class);
    private static final long DEBOUNCE_MILLIS = 500;

    private final LiveConfig live;
    private WatchService watcher;
    private Thread watchThread;

    private Reloads(LiveConfig live) {
        this.live = live;
    }

    static Reloads start(LiveConfig live, boolean watch) throws IOException {
        Reloads r = new Reloads(live);
        if (live.file() != null) {
            Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().start(() -> r.reload("SIGHUP", "signal")));
            if (watch) {
                r.watch(live.file().toAbsolutePath());
            }
        }
        return r;
    }

    private void reload(String who, String source) {
        try {
            LiveConfig.Applied a = live.reload(who, source);
            LOG.info("configuration reloaded ({}): version {} (was {})", source, a.version(), a.previous());
        } catch (ConfigException | java.io.UncheckedIOException e) {
            LOG.error("configuration reload ({}) refused; version {} keeps serving: {}", source, live.current().version(),
                    e.getMessage());
        }
    }

    private void watch(Path file) throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
        watchThread = Thread.ofPlatform().name("sluice-config-watch").daemon().start(() -> {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    boolean ours = key.pollEvents().stream().anyMatch(e -> file.getFileName().equals(e.context()));
                    key.reset();
                    if (ours) {
                        // Let the writer finish (and swallow the burst of events one save makes).
                        WatchKey more;
                        while ((more = watcher.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                            more.pollEvents();
                            more.reset();
                        }
                        reload("file watch", "file watch");
                    }
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                // closing
            }
        });
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
