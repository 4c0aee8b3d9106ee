package dev.sluice.identity;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.pipeline.Identity;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issued keys, as the gateway checks them on every request: without touching the database.
 *
 * <p>How it stays current:
 * <ol>
 *   <li>At construction it loads a snapshot of every usable secret (digest → identity, caps, end times).</li>
 *   <li>Every {@code refreshEvery} a background thread reads the single {@code identity_version} row, which
 *       every identity write bumps, from any process (the CLI, another replica's admin API). Only when it moved
 *       is the snapshot reloaded and swapped in with one volatile write.</li>
 *   <li>The admin API in this process calls {@link #reload()} right after its own writes, so they apply at once.</li>
 *   <li>If the database is unreachable the last snapshot stays in force, and the failure is logged once.</li>
 * </ol>
 * Expiry and the end of a rotation's grace period are checked against the clock on each request, so they take
 * effect to the millisecond; revocations and disabled owners take effect at the next refresh (2 s by default).
 *
 * <p>Lookup hashes the presented key with SHA-256 and finds the entry by digest. The map lookup leaks at most
 * timing about digests, which says nothing usable about any secret; the final comparison still uses
 * {@link MessageDigest#isEqual}, which takes the same time wherever the bytes differ.
 */
public final class KeyRegistry implements KeyResolver, AutoCloseable {
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(KeyRegistry.class);

    private final IdentityStore store;
    private final Clock clock;
    private final Duration refreshEvery;
    private volatile Snapshot snapshot;
    private ScheduledExecutorService refresher;
    private boolean failing;

    /** Loads the keys now (failing if the database cannot be read); call {@link #start()} to keep them fresh. */
    public KeyRegistry(IdentityStore store, Clock clock, Duration refreshEvery) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshEvery = Objects.requireNonNull(refreshEvery, "refreshEvery");
        if (refreshEvery.isNegative() || refreshEvery.isZero()) {
            throw new IllegalArgumentException("refreshEvery: " + refreshEvery + " (expected: > 0)");
        }
        this.snapshot = Snapshot.of(store.snapshot());
    }

    /** A registry on the system clock, refreshed every two seconds from now on. */
    public static KeyRegistry started(IdentityStore store) {
        return new KeyRegistry(store, Clock.systemUTC(), DEFAULT_REFRESH).start();
    }

    /** Starts the background refresh on one daemon thread. */
    public synchronized KeyRegistry start() {
        if (refresher == null) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-key-refresh");
                t.setDaemon(true);
                return t;
            });
            long every = refreshEvery.toMillis();
            refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public Identity resolve(String presentedKey) {
        if (presentedKey == null || !presentedKey.startsWith(KeyMaterial.PREFIX)) {
            return null; // not one of ours; the prefix is public, so skipping early reveals nothing
        }
        byte[] digest = KeyMaterial.sha256(presentedKey);
        ActiveKey k = snapshot.byDigest.get(ByteBuffer.wrap(digest));
        if (k == null || !MessageDigest.isEqual(digest, k.digest()) || !k.usableAt(clock.millis())) {
            return null;
        }
        return k.identity();
    }

    /** True only while no key was ever issued: then (with no static keys) the gateway stays in open mode. */
    @Override
    public boolean isEmpty() {
        return !snapshot.anyKeys;
    }

    /** The monthly caps of a usable key; {@link MonthlyCaps#NONE} for keys without caps and for unknown ids. */
    public MonthlyCaps caps(String keyId) {
        return snapshot.caps.getOrDefault(keyId, MonthlyCaps.NONE);
    }

    /**
     * The monthly caps that hold a caller: its key's (with its user's) when it came with an issued key, else its
     * user's own cap, so a developer signed in with {@code /login} (a session, not a key) is held to the same cap.
     */
    public MonthlyCaps caps(Identity who) {
        MonthlyCaps byKey = snapshot.caps.get(who.keyId());
        if (byKey != null) {
            return byKey;
        }
        java.math.BigDecimal user = who.userId() == null ? null : snapshot.userCaps.get(who.userId());
        return user == null ? MonthlyCaps.NONE : new MonthlyCaps(null, user);
    }

    /** Reloads if another writer moved the identity version; quiet when the database is down. */
    public void refresh() {
        try {
            if (store.version() != snapshot.version) {
                reload();
            }
            recovered();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (!failing) {
                    LOG.warn("key refresh failed; keeping the {} keys loaded before: {}", snapshot.byDigest.size(),
                            e.getMessage());
                    failing = true;
                }
            }
        }
    }

    /** Reloads now: for in-process admin changes, which must apply before the admin call answers. */
    public synchronized void reload() {
        snapshot = Snapshot.of(store.snapshot());
    }

    private synchronized void recovered() {
        if (failing) {
            LOG.info("key refresh works again");
            failing = false;
        }
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            refresher = null;
        }
    }

    /** An immutable view, swapped whole so a request never sees half a reload. */
    private record Snapshot(long version, Map<ByteBuffer, ActiveKey> byDigest, Map<String, MonthlyCaps> caps,
                            boolean anyKeys, Map<String, java.math.BigDecimal> userCaps) {
        static Snapshot of(KeySnapshot loaded) {
            Map<ByteBuffer, ActiveKey> byDigest = new HashMap<>();
            Map<String, MonthlyCaps> caps = new HashMap<>();
            for (ActiveKey k : loaded.secrets()) {
                byDigest.put(ByteBuffer.wrap(k.digest()), k);
                if (!k.caps().isEmpty()) {
                    caps.put(k.identity().keyId(), k.caps());
                }
            }
            return new Snapshot(loaded.version(), Map.copyOf(byDigest), Map.copyOf(caps), loaded.anyKeys(),
                    Map.copyOf(loaded.userCaps()));
        }
    }
}
