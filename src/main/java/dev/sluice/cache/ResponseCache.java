package dev.sluice.cache;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.entry.WriteGuard;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.cache.replay.Replay;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.wire.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The response cache: the one object the pipeline stage talks to.
 *
 * <pre>
 *  onRequest   decision = cache.lookup(request)           keying on the event loop, then one store read
 *              Hit    -> send decision.events() / body(), skip upstream, account decision.savings(meter)
 *              Miss   -> capture = decision.capture()     (null: do not store this one)
 *              Bypass -> nothing
 *  onEvent     capture.onEvent(event)                      a reference kept, nothing parsed
 *  onResponse  capture.onBody(status, body)                non-streamed answers
 *  onComplete  capture.finish(status)                      checks, templating, store: off the event loop
 * </pre>
 */
public final class ResponseCache {
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Vertx vertx;
    private final CacheStore store;
    private volatile RequestKeyer keyer;
    /** The secret {@link #keyer} keys with, when it came from the store (re-checked); null for a keyer given directly. */
    private volatile KeySecret secret;
    private boolean sha256;
    private final WriteGuard guard;
    private final LongSupplier clock;
    private final Duration storeTimeout;
    private final CacheCounters counters = new CacheCounters();
    private final StoreWrites writes;
    private volatile SecondaryLookup secondary;

    /** How often the store's key secret is compared with this replica's (see {@link #recheckSecret}). */
    static final Duration SECRET_CHECK = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResponseCache.class);

    /** How long a lookup waits for a remote store before it goes upstream instead. */
    public static final Duration DEFAULT_STORE_TIMEOUT = Duration.ofMillis(100);

    ResponseCache(Vertx vertx, CacheStore store, RequestKeyer keyer, WriteGuard guard, LongSupplier clock) {
        this(vertx, store, keyer, guard, clock, DEFAULT_STORE_TIMEOUT);
    }

    ResponseCache(Vertx vertx, CacheStore store, RequestKeyer keyer, WriteGuard guard, LongSupplier clock, Duration storeTimeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.keyer = Objects.requireNonNull(keyer, "keyer");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = clock;
        this.storeTimeout = storeTimeout;
        this.writes = new StoreWrites(storeTimeout);
    }

    /**
     * A cache on {@code store}, keyed with the store's secret.
     *
     * @param sha256 key with SHA-256 instead of the faster keyed hash
     */
    public static Future<ResponseCache> create(Vertx vertx, CacheStore store, WriteGuard guard, boolean sha256) {
        return create(vertx, store, guard, sha256, DEFAULT_STORE_TIMEOUT);
    }

    /** As {@link #create(Vertx, CacheStore, WriteGuard, boolean)}, with the time a lookup waits for the store. */
    public static Future<ResponseCache> create(Vertx vertx, CacheStore store, WriteGuard guard, boolean sha256, Duration storeTimeout) {
        return store.secret().map(secret -> {
            ResponseCache c = new ResponseCache(vertx, store, new RequestKeyer(secret, sha256), guard, System::currentTimeMillis,
                    storeTimeout);
            c.secret = secret;
            c.sha256 = sha256;
            vertx.setPeriodic(SECRET_CHECK.toMillis(), id -> c.recheckSecret());
            return c;
        });
    }

    /**
     * Compares the store's secret with the one this replica keys with, offering this one where the store lost it. A
     * Redis that was flushed or replaced has none, and a replica started afterwards would make a new one: replicas
     * running from before would then key every request differently from it and never share an entry again. Adopting
     * the store's secret (or re-publishing ours) brings them back together within {@link #SECRET_CHECK}. True when
     * this replica changed its secret.
     */
    Future<Boolean> recheckSecret() {
        KeySecret mine = secret;
        if (mine == null) {
            return Future.succeededFuture(false);
        }
        return store.secret(mine).map(shared -> {
            if (shared.equals(mine)) {
                return false;
            }
            keyer = new RequestKeyer(shared, sha256);
            secret = shared;
            LOG.warn("response cache: the store's key secret changed (Redis flushed or replaced?); keying with it from now on, "
                    + "so this replica shares entries with the others again");
            return true;
        }).otherwise(false);
    }

    /** Decides what to do with a request. Never fails: a store that cannot be reached makes it a bypass. */
    public Future<CacheDecision> lookup(CacheRequest r) {
        CachePolicy p = r.policy();
        CacheMode mode = r.controls().mode() == null ? p.mode() : p.mode().and(r.controls().mode());
        boolean read = mode.reads() && !r.controls().refresh();
        boolean write = mode.writes() && !r.controls().noStore();
        if (!read && !write) {
            return decided(new CacheDecision.Bypass(null, "mode " + mode.label() + (r.controls().noStore() ? ", no-store" : "")));
        }
        if (r.length() > p.maxRequestBytes()) {
            return decided(new CacheDecision.Bypass(null, "request larger than " + p.maxRequestBytes() + " bytes"));
        }
        RequestKey key = keyer.key(r.body(), r.length(), p.rules(), r.keyContext(), CacheScope.org(r.identity()));
        if (!key.cacheable()) {
            return decided(new CacheDecision.Bypass(key, key.reason()));
        }
        if (!p.cacheSampled() && (Double.isNaN(key.temperature()) || key.temperature() > 0)) {
            return decided(new CacheDecision.Bypass(key, "sampled request (temperature above 0)"));
        }
        String namespace = r.controls().namespace() != null ? r.controls().namespace() : p.namespace();
        StoreKey storeKey = StoreKey.of(CacheScope.org(r.identity()), p.scope().scopeOf(r.identity()), namespace, key.key());
        Future<CacheStore.Found> found = store.get(storeKey);
        if (!found.isComplete()) {
            found = found.timeout(storeTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return found
                .map(f -> decide(r, key, storeKey, f, read, write))
                .compose(d -> d instanceof CacheDecision.Miss m && read && secondary != null ? secondary(r, key, storeKey, m)
                        : Future.succeededFuture(d))
                .otherwise(e -> {
                    counters.storeReadError(); // a Redis down, slow or holding what cannot be replayed: /metrics says so
                    return new CacheDecision.Bypass(key, "store unavailable: " + e.getMessage());
                })
                .compose(this::decided);
    }

    /** After an exact miss: the secondary lookup's answer, served like a hit, else the miss as it was. */
    private Future<CacheDecision> secondary(CacheRequest r, RequestKey key, StoreKey storeKey, CacheDecision.Miss miss) {
        SecondaryLookup s = secondary;
        return s.find(r, key, storeKey).map(found -> {
            if (found == null || found.entry() == null || !pinsMatch(found.entry(), key.bindings())) {
                return (CacheDecision) miss;
            }
            CacheDecision.Hit hit = hit(r, key, found.entry(), found.status(), found.similarity(), found.source());
            return hit == null ? miss : hit;
        }).otherwise(miss);
    }

    /** Plugs in a second way to find answers (the semantic cache); it is also told about every stored entry. */
    public void secondary(SecondaryLookup lookup) {
        this.secondary = lookup;
    }

    void stored(CacheRequest r, RequestKey key, StoreKey storeKey, CacheEntry entry) {
        SecondaryLookup s = secondary;
        if (s != null) {
            s.stored(r, key, storeKey, entry);
        }
    }

    private CacheDecision decide(CacheRequest r, RequestKey key, StoreKey storeKey, CacheStore.Found found, boolean read, boolean write) {
        long now = clock.getAsLong();
        CacheEntry e = found.entry();
        if (read && e != null && fresh(e, now, r.controls().maxAge())) {
            if (!pinsMatch(e, key.bindings())) {
                counters.pinnedMiss();
            } else {
                CacheDecision.Hit hit = hit(r, key, e, "hit", 1.0, storeKey);
                if (hit != null) {
                    return hit;
                }
            }
        }
        CacheCapture capture = write ? new CacheCapture(this, r, storeKey, found.generation(), key, ttl(r).toMillis()) : null;
        return new CacheDecision.Miss(key, capture, r.controls().refresh());
    }

    private CacheDecision.Hit hit(CacheRequest r, RequestKey key, CacheEntry e, String status, double similarity, StoreKey source) {
        String id = messageId();
        List<SseEvent> events = r.stream() ? Replay.events(e, key.bindings(), id) : null;
        byte[] body = r.stream() ? null : Replay.body(e, key.bindings(), id);
        return events != null || body != null ? new CacheDecision.Hit(key, e, events, body, e.ageMillis(clock.getAsLong()), status,
                similarity, source) : null;
    }

    Vertx vertx() {
        return vertx;
    }

    WriteGuard guard() {
        return guard;
    }

    CacheCounters counters() {
        return counters;
    }

    /** Stores an answer, bounded in bytes waiting for the store and in time ({@link StoreWrites}). */
    Future<Void> write(StoreKey key, CacheEntry entry, long generation) {
        return writes.put(store, key, entry, generation);
    }

    long now() {
        return clock.getAsLong();
    }

    private static boolean fresh(CacheEntry e, long now, Duration maxAge) {
        return e.expiresAt() > now && (maxAge == null || e.ageMillis(now) <= maxAge.toMillis());
    }

    private static boolean pinsMatch(CacheEntry e, Bindings requester) {
        for (Map.Entry<Placeholder, String> pin : e.pins().entrySet()) {
            if (!pin.getValue().equals(requester.value(pin.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Duration ttl(CacheRequest r) {
        Duration asked = r.controls().ttl();
        Duration ttl = asked == null || asked.isZero() ? r.policy().defaultTtl() : asked;
        return ttl.compareTo(r.policy().maxTtl()) > 0 ? r.policy().maxTtl() : ttl;
    }

    private Future<CacheDecision> decided(CacheDecision d) {
        counters.decided(d);
        return Future.succeededFuture(d);
    }

    /** Makes every entry of a scope unreachable ({@code namespace} null), or only those of one namespace. */
    public Future<Long> bust(String org, String scope, String namespace) {
        return store.bust(org, scope, namespace);
    }

    public CacheStore store() {
        return store;
    }

    public CacheCounters.Counts counts() {
        return counters.counts();
    }

    /** A fresh id shaped like the API's ({@code msg_01} and 22 base62 characters). */
    static String messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder("msg_01");
        for (int i = 0; i < 22; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }
}
