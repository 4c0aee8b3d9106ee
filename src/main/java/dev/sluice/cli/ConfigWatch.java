package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigFiles;
import dev.sluice.config.LiveConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --watch-config}: applies the configuration file when what it reads changes, once the file has settled.
 *
 * <p>Why the directories and not the file: editors replace the file (write a temporary one, rename it), and a
 * Kubernetes ConfigMap volume swaps a {@code ..data} symlink in the directory while the file's own path, a symlink
 * through it, never changes. So every event in the file's directory (and in the directory of the file it resolves
 * to, when that is elsewhere) makes the watch read the file, and only text that differs from what it last saw is
 * applied (refused text is not tried again until it changes). A direct write to the file itself that brings back text
 * the gateway does not serve (after a rollback) is applied again too.
 *
 * <p>Why settle: a writer that copies in chunks or pauses mid-write leaves a half file that often parses (a file cut
 * after {@code enabled:} reads as {@code enabled: false}). The watch applies text only after two reads
 * {@link Settle#QUIET} apart agree, and a text that does not end with a newline (a cut mid-line, almost every cut)
 * only after {@link Settle#QUIET_UNTERMINATED}; {@link LiveConfig#reloadSettled} checks again that the file still holds
 * that text before it serves. Writing a temporary file and renaming it over the configuration needs none of this.
 */
final class ConfigWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatch.class);
    /** Events of one save come in a burst; the watch reads once the burst is over. */
    private static final long BURST_MILLIS = 200;
    /** Starts a read that is a reason, not text: a NUL, which no configuration can hold (YAML refuses it). */
    private static final String UNREADABLE = "\u0000unreadable:";

    private final LiveConfig live;
    private final Path file;
    private final WatchService watcher;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Thread thread;
    /** The text the watch last applied or refused (at first, the serving one's): it acts on a change of that. */
    private String lastSeen;
    /** Whether {@link #lastSeen} was refused: more events for the same text do not try it again. */
    private boolean lastRefused;

    private ConfigWatch(LiveConfig live, Path file) throws IOException {
        this.live = live;
        this.file = file;
        this.watcher = FileSystems.getDefault().newWatchService();
        // What serves, not what the file holds now: a file changed while the gateway started is still a change.
        this.lastSeen = live.currentText();
        watchDirectories();
        this.thread = Thread.ofPlatform().name("sluice-config-watch").daemon().start(this::run);
    }

    static ConfigWatch start(LiveConfig live) throws IOException {
        return new ConfigWatch(live, live.file().toAbsolutePath());
    }

    private void run() {
        try {
            while (true) {
                boolean named = events(watcher.take());
                WatchKey more;
                while ((more = watcher.poll(BURST_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    named |= events(more);
                }
                String text = Settle.read(() -> readOrNull(file), Thread::sleep);
                if (text == null) {
                    LOG.warn("configuration file {} kept changing (or could not be read) for {} s; not applied, the watch"
                            + " goes on", file, Settle.GIVE_UP_MILLIS / 1000);
                    continue;
                }
                if (text.startsWith(UNREADABLE)) {
                    if (!text.equals(lastSeen)) { // said once per problem, not at every event of the same file
                        LOG.error("configuration reload (file watch) refused; version {} keeps serving: {}",
                                live.current().version(), text.substring(UNREADABLE.length()).strip());
                    }
                    lastSeen = text;
                    lastRefused = true;
                } else if (!text.equals(lastSeen) || (named && !lastRefused && !text.equals(live.currentText()))) {
                    lastSeen = text;
                    lastRefused = !apply(text);
                }
                watchDirectories(); // a symlinked file may now resolve into another directory
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Consumes a key's events; true when one of them names the file (or the file it resolves to). */
    private boolean events(WatchKey key) {
        boolean named = false;
        Path dir = (Path) key.watchable();
        Path real = realFile();
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p) {
                Path changed = dir.resolve(p);
                named |= changed.equals(file) || changed.equals(real);
            }
        }
        if (!key.reset()) {
            watched.values().remove(key); // its directory is gone (an old ConfigMap generation)
        }
        return named;
    }

    /** Applies the text; false when it was refused (logged). */
    private boolean apply(String text) {
        try {
            LiveConfig.Applied a = live.reloadSettled(text, "file watch", "file watch");
            if (!a.unchanged()) {
                LOG.info("configuration reloaded (file watch): version {} (was {})", a.version(), a.previous());
            }
            return true;
        } catch (ConfigException | UncheckedIOException e) {
            LOG.error("configuration reload (file watch) refused; version {} keeps serving: {}", live.current().version(),
                    e.getMessage());
            return false;
        }
    }

    /** Watches the file's directory and, when the file is a symlink into another one, that directory too. */
    private void watchDirectories() {
        register(file.getParent());
        Path real = realFile();
        if (real != null) {
            register(real.getParent());
        }
    }

    private void register(Path dir) {
        if (dir == null || watched.containsKey(dir)) {
            return;
        }
        try {
            watched.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE));
        } catch (IOException e) {
            LOG.warn("cannot watch {} for configuration changes: {}", dir, e.getMessage());
        }
    }

    private Path realFile() {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return null; // mid-swap, or removed: the next event looks again
        }
    }

    /**
     * The file's text; for a file that is there but cannot be a configuration (not UTF-8, too large, not a regular file),
     * {@link #UNREADABLE} and why, so that it settles and is said at once instead of "kept changing" a minute later;
     * null when it is missing (mid-swap: the next event looks again).
     */
    private static String readOrNull(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return ConfigFiles.read(file);
        } catch (ConfigException e) {
            return UNREADABLE + e.getMessage() + "\n"; // a whole reason: settles after the short quiet period
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            // closing anyway
        }
        thread.interrupt();
    }
}
