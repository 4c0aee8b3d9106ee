package dev.sluice.config;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration the gateway serves with, swappable while it runs. Each request reads
 * {@link #current()} once, on arrival, and keeps that {@link Snapshot} to its end; a reload builds a
 * whole new snapshot (every {@link Part} compiled) and swaps it in one volatile write, so requests in
 * flight finish on the snapshot they started with and new ones get the new one. A file that does
 * not parse, or that a part cannot use, is refused with its error and the old snapshot keeps serving.
 *
 * <p>Sources of a reload: {@code sluice reload} and SIGHUP, the admin API, and an optional file
 * watch; {@code sluice config rollback N} re-applies a recorded version. Every applied version is
 * recorded ({@link ConfigVersions}). Settings that only take effect at start (listen address, event
 * loops, store, telemetry) are applied to the record but reported as needing a restart.
 */
public final class LiveConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

    private final ConfigLoader loader;
    private final Path file;
    private final List<Part<?>> parts;
    private final ConfigVersions versions;
    private final SluiceConfig started;
    private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot current;
    /** Whether a snapshot lets callers in without a key; until the gateway says how it decides, by static keys alone. */
    private volatile Predicate<Snapshot> letsAnyoneIn = LiveConfig::openByItsOwnKeys;

    private LiveConfig(ConfigLoader loader, Path file, List<Part<?>> parts, ConfigVersions versions, SluiceConfig started) {
        this.loader = loader;
        this.file = file;
        this.parts = List.copyOf(parts);
        this.versions = versions;
        this.started = started;
    }

    /**
     * The live configuration of a gateway starting with {@code config} (read from {@code file}, or the
     * defaults when it is null); records it as a version when it differs from the latest one.
     */
    public static LiveConfig start(SluiceConfig config, Path file, ConfigLoader loader, List<Part<?>> parts,
                                   ConfigVersions versions) {
        LiveConfig live = new LiveConfig(loader, file, parts, versions, config);
        String text = file == null ? "" : readQuietly(file);
        boolean unchanged = versions == null || versions.isLatest(text);
        int number = versions == null ? 1 : unchanged ? versions.latest().number() : live.latestNumber() + 1;
        // Compiled before it is recorded: a configuration that cannot start leaves no version behind.
        live.current = Snapshot.compile(number, config, live.parts, Instant.now());
        if (!unchanged) {
            versions.record(text, "start", file == null ? "defaults" : file.toString(), List.of());
        }
        return live;
    }

    /** A live configuration that is never reloaded nor recorded (tools, tests). */
    public static LiveConfig fixed(SluiceConfig config, List<Part<?>> parts) {
        LiveConfig live = new LiveConfig(null, null, parts, null, config);
        live.current = Snapshot.compile(1, config, live.parts, Instant.now());
        return live;
    }

    public Snapshot current() {
        return current;
    }

    /** The file reloads read, or null when the gateway runs on defaults. */
    public Path file() {
        return file;
    }

    /**
     * How the gateway decides that a snapshot lets anyone in: with keys issued through the admin API or sign-in
     * sessions, a configuration without static keys is closed too. A reload or rollback never turns a closed gateway
     * into an open one, by this rule (opening a gateway is a restart).
     */
    public void opensWhen(Predicate<Snapshot> letsAnyoneIn) {
        this.letsAnyoneIn = Objects.requireNonNull(letsAnyoneIn, "letsAnyoneIn");
    }

    /** Called with each newly applied snapshot (after it serves). */
    public void onApplied(Consumer<Snapshot> listener) {
        listeners.add(listener);
    }

    /** Re-reads the configuration file and applies it. */
    public synchronized Applied reload(String who, String source) {
        if (file == null) {
            throw new ConfigException("no configuration file to reload: the gateway was started without one (use -c)");
        }
        return apply(ConfigFiles.read(file), file.toString(), who, source, currentText(), null);
    }

    /**
     * Applies {@code text}, read from the file by a watch that waited for it to settle, only if the file still holds
     * it when the new version is ready to serve: a writer that went on meanwhile is refused, and its next change is
     * seen by the watch.
     */
    public synchronized Applied reloadSettled(String text, String who, String source) {
        if (file == null) {
            throw new ConfigException("no configuration file to reload: the gateway was started without one (use -c)");
        }
        return apply(text, file.toString(), who, source, currentText(), () -> {
            if (!text.equals(readQuietly(file))) {
                throw new ConfigException(file + ": the file changed while it was being applied; the running version"
                        + " keeps serving and the watch applies the file once it settles");
            }
        });
    }

    /** Sections whose silent loss turns a protection off: a file cut short while written loses its last ones. */
    private static final List<String> GUARDED_SECTIONS = List.of("auth", "admin", "upstreams", "routes", "routing", "budgets",
            "guard", "signin", "cache");

    /**
     * A reload from the file never drops one of {@link #GUARDED_SECTIONS} the running version has: a file cut short
     * while being written parses, and would turn budgets or the guard off without a word. To remove one on purpose,
     * write it as meant ({@code guard: {enabled: false}}) or restart. Rollbacks return to a recorded version as it
     * was, so they are not checked.
     */
    static void refuseLostSections(String runningText, String nextText, String origin) {
        if (runningText == null) {
            return;
        }
        List<String> next = new ArrayList<>(ConfigLoader.sections(nextText));
        next.removeAll(ConfigLoader.emptySections(nextText)); // a file cut just after "guard:" has the name, nothing else
        List<String> lost = new ArrayList<>();
        List<String> runningEmpty = ConfigLoader.emptySections(runningText);
        for (String section : ConfigLoader.sections(runningText)) {
            if (GUARDED_SECTIONS.contains(section) && !runningEmpty.contains(section) && !next.contains(section)) {
                lost.add(section);
            }
        }
        refuseDanglingKey(nextText, origin, ". The running version keeps serving");
        if (!lost.isEmpty() && hasContent(nextText)) {
            throw new ConfigException(origin + ": this change removes the section" + (lost.size() > 1 ? "s " : " ")
                    + String.join(", ", lost) + " that the running version has (a file cut short while written?); write "
                    + (lost.size() > 1 ? "them" : "it") + " as meant (for example guard: {enabled: false}) or restart."
                    + " The running version keeps serving");
        }
    }

    /**
     * Refuses a file whose last line is a key without a value, as a reload does: {@code sluice config check} runs it
     * too, so a file it passes is not refused by the next reload. {@code tail} ends the message.
     */
    public static void refuseDanglingKey(String text, String origin, String tail) {
        String dangling = danglingKey(text);
        if (dangling != null) {
            throw new ConfigException(origin + ": the file ends with a key without a value (" + dangling + "), as a file cut"
                    + " short while written does; write its value (or remove it)" + tail);
        }
    }

    /**
     * The last line of {@code text} when it is a key with no value ({@code "  enabled:"}): a complete file has no reason
     * to end so, a file cut while written often does, and YAML reads it as null (for {@code enabled}, off).
     */
    static String danglingKey(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = lines.length - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String key = t.startsWith("- ") ? t.substring(2).strip() : t;
            return key.endsWith(":") && !key.contains(" ") && !key.contains("\"") && !key.contains("'") ? t : null;
        }
        return null;
    }

    /** Re-applies recorded version {@code n} as a new version. The file on disk is left as it is. */
    public synchronized Applied rollback(int n, String who) {
        return rollback(n, who, false);
    }

    /**
     * Re-applies recorded version {@code n} as a new version. With {@code writeFile}, version {@code n}'s exact text
     * is then written to the configuration file (temporary file and rename), so the next reload from the file keeps
     * it; without, an answer whose file holds other text says that the next reload from the file replaces it.
     */
    public synchronized Applied rollback(int n, String who, boolean writeFile) {
        if (versions == null) {
            throw new ConfigException("configuration versions are not recorded by this gateway");
        }
        String text = versions.text(n);
        if (text == null) {
            throw new ConfigException("no configuration version " + n + " (expected one of 1.." + latestNumber() + ")");
        }
        if (writeFile && file == null) {
            throw new ConfigException("no configuration file to write: the gateway was started without one (use -c)");
        }
        Applied a = apply(text, "version " + n, who, "rollback to " + n);
        if (file == null || text.equals(readQuietly(file))) {
            return a;
        }
        String note;
        if (writeFile) {
            try {
                ConfigFiles.replace(file, text);
                note = "wrote version " + n + " to " + file;
                LOG.info("configuration rollback to version {}: {}", n, note);
            } catch (IOException e) {
                note = "could not write version " + n + " to " + file + " (" + e.getMessage() + "); the file still holds"
                        + " other text, and the next reload from it (SIGHUP, sluice reload, the file watch) replaces this rollback";
                LOG.error("configuration rollback to version {}: {}", n, note);
            }
        } else {
            note = file + " still holds a newer configuration than version " + n + "; the next reload from it (SIGHUP,"
                    + " sluice reload, the file watch) replaces this rollback. To keep it, write version " + n
                    + " to the file (sluice config rollback " + n + " --write)";
            LOG.warn("configuration rollback to version {}: {}", n, note);
        }
        return new Applied(a.version(), a.previous(), a.restartNeeded(), a.unchanged(), note);
    }

    /** Parses, validates and compiles {@code text}; swaps it in only when all of that succeeded. */
    public synchronized Applied apply(String text, String origin, String who, String source) {
        return apply(text, origin, who, source, null, null);
    }

    /**
     * As {@link #apply(String, String, String, String)}; with {@code runningText}, no guarded section may go missing;
     * {@code lastCheck} (may be null) runs just before the new version is recorded and swapped in.
     */
    private Applied apply(String text, String origin, String who, String source, String runningText, Runnable lastCheck) {
        Objects.requireNonNull(loader, "this live configuration is fixed");
        if (!hasContent(text)) {
            // An editor or a config tool truncates a file before writing it; applying that would be the defaults:
            // no keys (an open gateway), no budgets, no guard.
            throw new ConfigException(origin + ": the configuration is empty; the running version keeps serving");
        }
        SluiceConfig next = loader.parse(origin, text);
        Snapshot previous = current;
        if (versions != null && text.equals(versions.text(previous.version())) && next.equals(previous.config())) {
            // The same text resolving to the same configuration: nothing to apply, and no version that only adds noise
            // to the history and the audit log (an edit picked up by the watch, then a SIGHUP for the same edit).
            LOG.info("configuration unchanged ({}, {}): version {} keeps serving", who, source, previous.version());
            return new Applied(previous.version(), previous.version(), List.of(), true, null);
        }
        List<String> restart = restartNeeded(started, next);
        int number = versions == null ? previous.version() + 1 : latestNumber() + 1;
        Snapshot snapshot = Snapshot.compile(number, next, parts, Instant.now());
        refuseOpening(previous, snapshot, letsAnyoneIn, origin); // after compiling: its errors name the setting
        refuseLostSections(runningText, text, origin);
        if (lastCheck != null) {
            lastCheck.run();
        }
        if (versions != null) {
            versions.record(text, who, source, restart);
        }
        current = snapshot;
        LOG.info("configuration version {} applied by {} ({}){}", number, who, source,
                restart.isEmpty() ? "" : "; needs a restart to take effect: " + restart);
        for (Consumer<Snapshot> l : listeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("configuration listener failed on version {}", number, e);
            }
        }
        return new Applied(number, previous.version(), restart);
    }

    /**
     * A reload (or rollback) never opens a gateway that asks for keys, static or issued: a half-written file, a slip
     * in the {@code auth} section or an early version would let anyone in, and budgets and audit would then name
     * nobody. Opening it is a restart.
     */
    static void refuseOpening(Snapshot running, Snapshot next, Predicate<Snapshot> letsAnyoneIn, String origin) {
        if (!letsAnyoneIn.test(running) && letsAnyoneIn.test(next)) {
            AuthConfig auth = next.config().auth();
            throw new ConfigException(origin + ": this change would let callers in without a key ("
                    + (auth.open() ? "auth.open: true" : "auth.keys left empty and no key issued") + "); a reload or"
                    + " rollback cannot do that, a restart can. The running version keeps serving");
        }
    }

    /** The rule without issued keys: open when the configuration says so or names no static key. */
    private static boolean openByItsOwnKeys(Snapshot s) {
        return s.config().auth().open() || s.config().auth().keys().isEmpty();
    }

    /** True when the text has anything but blank lines and comments. */
    static boolean hasContent(String text) {
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.equals("---") && !t.equals("...")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text of the version serving now (what a change to one setting starts from), or the file's when versions
     * are not recorded; null when there is no such text. A gateway started without a file records its first version
     * as empty text, which may not be what it serves (tools and tests start from a parsed configuration): null too.
     */
    public synchronized String currentText() {
        String text = versions == null ? null : versions.text(current.version());
        if (text == null && file != null) {
            text = readQuietly(file);
        }
        return text == null || text.isBlank() ? null : text;
    }

    /** Recorded version {@code n} with its diff, secrets written in the file redacted; null when there is none. */
    public ConfigVersions.Version version(int n) {
        return versions == null ? null : versions.shown(n);
    }

    /** The recorded versions, oldest first (empty when versions are not recorded). */
    public List<ConfigVersions.Version> history() {
        return versions == null ? List.of() : versions.list();
    }

    private int latestNumber() {
        ConfigVersions.Version v = versions.latest();
        return v == null ? 0 : v.number();
    }

    /** What a running gateway cannot change without a restart. */
    static List<String> restartNeeded(SluiceConfig running, SluiceConfig next) {
        List<String> out = new ArrayList<>();
        ServerConfig a = running.server();
        ServerConfig b = next.server();
        if (!a.host().equals(b.host()) || !a.port().equals(b.port())) {
            out.add("server.host/port");
        }
        if (!a.eventLoops().equals(b.eventLoops())) {
            out.add("server.event-loops");
        }
        if (!a.headerTimeout().equals(b.headerTimeout()) || !a.idleTimeout().equals(b.idleTimeout())
                || !a.bodiesInFlight().equals(b.bodiesInFlight())) {
            out.add("server timeouts and body budget");
        }
        if (!running.store().equals(next.store())) {
            out.add("store");
        }
        if (!running.telemetry().equals(next.telemetry())) {
            out.add("telemetry");
        }
        CacheConfig ca = running.cache();
        CacheConfig cb = next.cache();
        if (!ca.store().equals(cb.store()) || !ca.keyHash().equals(cb.keyHash())
                || !ca.promptCache().prefixStats().equals(cb.promptCache().prefixStats())) {
            out.add("cache store, key hash and prefix statistics");
        }
        if (!running.admin().equals(next.admin())) {
            out.add("admin");
        }
        if (!withoutLiveKeys(running.signin()).equals(withoutLiveKeys(next.signin()))) {
            out.add("signin (all but billing-group-tag)"); // its IdP, teams and model lists are built at start
        }
        return out;
    }

    /** The sign-in section without the keys each request reads from the live snapshot. */
    private static SigninConfig withoutLiveKeys(SigninConfig s) {
        return s == null ? null : new SigninConfig(s.enabled(), s.publicUrl(), s.oidc(), s.loginNotice(), s.deviceCodeTtl(),
                s.pollInterval(), s.accessTokenTtl(), s.refreshTokenTtl(), s.keyRotation(), s.syncInterval(),
                s.allowedEmailDomains(), s.allowedGroups(), s.teams(), s.defaultTeam(), s.managedSettings(), s.models(),
                null, s.telemetry(), s.refreshReuseGrace());
    }

    private static String readQuietly(Path file) {
        try {
            return ConfigFiles.read(file);
        } catch (ConfigException e) {
            return "";
        }
    }

    /**
     * The outcome of an applied reload.
     *
     * @param restartNeeded settings that changed but need a restart
     * @param unchanged     the configuration was the one serving: no new version
     * @param note          what the operator should know about the file (a rollback it does not hold), or null
     */
    public record Applied(int version, int previous, List<String> restartNeeded, boolean unchanged, String note) {
        public Applied(int version, int previous, List<String> restartNeeded) {
            this(version, previous, restartNeeded, false, null);
        }
    }
}
