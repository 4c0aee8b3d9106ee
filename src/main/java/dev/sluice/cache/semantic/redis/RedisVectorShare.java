package dev.sluice.cache.semantic.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.semantic.IndexLoader;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.StoreListener;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares semantic entries across replicas through plain Redis: the vectors live in Redis, every
 * replica searches its own in-process index. Chosen over Redis' own vector search because the
 * redis-server 7 that Debian ships has none (RediSearch is a separate module, vector sets came with
 * Redis 8), because a lookup then costs no network round trip once an anchor is loaded, and
 * because the guard and verification need the entries' code identity and second vector locally.
 *
 * <p>Who indexes what:
 * <ul>
 *   <li>One hash per index: {@code sluice:sem:{scope}:model:anchor}, field = entry id, value =
 *       {@link EntryCodec}; the {@code {scope}} hash tag keeps a tenant's keys on one Cluster slot
 *       (the scope names the org first, so no key is shared between orgs); the key's TTL is the
 *       entry TTL, renewed by each store.</li>
 *   <li>A replica indexes what it stores itself (HSET + EXPIRE, then PUBLISH on {@value #CHANNEL}).</li>
 *   <li>It indexes another replica's entries only under anchors it follows: the first lookup under an
 *       anchor loads the hash (HGETALL) and from then on the replica applies that anchor's published
 *       entries (HGET of the field named). A replica never holds the indexes of conversations it is
 *       not asked about.</li>
 *   <li>A wrong-answer verdict is published too, so an entry one replica learned to distrust is
 *       distrusted everywhere at once (its threshold is raised on every replica that hears it).</li>
 * </ul>
 *
 * <p>Redis away: the semantic cache goes on with each replica's local index, never failing or
 * delaying a request for it. While the subscription is down nothing is loaded or published (no
 * connection attempt per request); the subscriber reconnects every {@value #RETRY_MILLIS} ms, and
 * once it is back every followed anchor is loaded again on its next lookup, since messages may have
 * been missed. Entries stored while Redis was away stay on the replica that stored them.
 */
public final class RedisVectorShare implements IndexLoader, StoreListener, AutoCloseable {
    public static final String CHANNEL = "sluice:sem:new";
    static final long RETRY_MILLIS = 2_000;
    /** Above this many entries the first lookup does not wait for the load to finish. */
    private static final int LARGE_LOAD = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(RedisVectorShare.class);

    /** Where an anchor stands on this replica. */
    private enum Follow { LOADING, LOADED }

    private final Vertx vertx;
    private final Redis client;
    private final Executor apply;
    private final Duration ttl;
    private final long timeoutMillis;
    private final String origin = UUID.randomUUID().toString();
    private final Cache<IndexKey, Follow> followed = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30))
            .maximumSize(100_000).build();
    private final AtomicLong shareFailures = new AtomicLong();
    private final AtomicLong verdictsApplied = new AtomicLong();
    private volatile SemanticMatcher matcher;
    private volatile RedisConnection subscriber;
    private volatile boolean closed;
    private long retryTimer = -1;

    /**
     * @param apply   where index updates run (the matcher's pool: never an event loop)
     * @param ttl     how long shared entries live in Redis (the entry TTL)
     * @param timeout how long a lookup waits for an anchor's first load before searching the local index alone
     */
    public RedisVectorShare(Vertx vertx, String url, Executor apply, Duration ttl, Duration timeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(Objects.requireNonNull(url, "url"))
                .setMaxPoolSize(4).setMaxPoolWaiting(256));
        this.apply = Objects.requireNonNull(apply, "apply");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.timeoutMillis = Math.max(1, Objects.requireNonNull(timeout, "timeout").toMillis());
    }

    /** Binds the matcher (built with this object as loader and listener) and subscribes, retrying while Redis is away. */
    public void start(SemanticMatcher matcher) {
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        subscribe();
    }

    /** True while the subscription is up: entries are loaded and published. */
    public boolean connected() {
        return subscriber != null;
    }

    /** Entries and verdicts that could not be shared (Redis errors), since start. */
    public long shareFailures() {
        return shareFailures.get();
    }

    /** Wrong-answer verdicts from other replicas applied here, since start. */
    public long verdictsApplied() {
        return verdictsApplied.get();
    }

    private void subscribe() {
        if (closed) {
            return;
        }
        client.connect()
                .compose(conn -> {
                    conn.handler(this::onMessage);
                    conn.exceptionHandler(e -> lost(conn, e.toString()));
                    conn.endHandler(v -> lost(conn, "closed"));
                    return conn.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).map(conn);
                })
                .timeout(Math.max(timeoutMillis, 1_000), TimeUnit.MILLISECONDS)
                .onSuccess(conn -> {
                    if (closed) {
                        conn.close();
                        return;
                    }
                    // Messages may have been missed while away: every anchor is loaded again on its next lookup.
                    followed.invalidateAll();
                    subscriber = conn;
                    LOG.info("semantic cache shared through Redis");
                })
                .onFailure(e -> retryLater(e.toString()));
    }

    private void lost(RedisConnection conn, String why) {
        if (subscriber == conn) {
            subscriber = null;
            retryLater(why);
        }
    }

    private synchronized void retryLater(String why) {
        if (closed) {
            return;
        }
        LOG.warn("semantic cache sharing through Redis unavailable ({}); each replica searches its own entries, retrying in {} s",
                why, RETRY_MILLIS / 1000);
        if (retryTimer >= 0) {
            vertx.cancelTimer(retryTimer);
        }
        retryTimer = vertx.setTimer(RETRY_MILLIS, id -> {
            synchronized (this) {
                retryTimer = -1;
            }
            subscribe();
        });
    }

    static String redisKey(IndexKey key) {
        return "sluice:sem:{" + b64(key.scope()) + "}:" + b64(key.model()) + ":" + key.anchor().hex();
    }

    static IndexKey parseKey(String redisKey) {
        String[] parts = redisKey.split(":", -1);
        if (parts.length != 5 || !parts[0].equals("sluice") || !parts[1].equals("sem")
                || !parts[2].startsWith("{") || !parts[2].endsWith("}") || parts[4].length() != 32) {
            throw new IllegalArgumentException("not a semantic key: " + redisKey);
        }
        return new IndexKey(unb64(parts[2].substring(1, parts[2].length() - 1)), Anchor.fromHex(parts[4]), unb64(parts[3]));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    @Override
    public void stored(IndexKey key, float[] retrievalVector, StoredEntry entry) {
        if (subscriber == null) {
            return; // away: the entry stays local (see the class comment)
        }
        String k = redisKey(key);
        client.batch(List.of(
                        Request.cmd(Command.HSET).arg(k).arg(entry.entryId()).arg(EntryCodec.encode(retrievalVector, entry)),
                        Request.cmd(Command.EXPIRE).arg(k).arg(Math.max(1, ttl.toSeconds())),
                        Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(origin + "\nE\n" + k + "\n" + entry.entryId())))
                .onFailure(e -> failed("entry " + entry.entryId(), e));
    }

    @Override
    public void verdict(String entryId, double similarity, boolean correct) {
        // Only wrong verdicts travel: they raise thresholds (the safe direction). Right ones lower a threshold only
        // with enough evidence, which each replica gathers on its own traffic, so a lost or repeated message cannot
        // make any replica looser.
        if (correct || subscriber == null) {
            return;
        }
        client.send(Request.cmd(Command.PUBLISH).arg(CHANNEL)
                        .arg(origin + "\nV\n" + entryId + "\n" + String.format(Locale.ROOT, "%.6f", similarity)))
                .onFailure(e -> failed("verdict on " + entryId, e));
    }

    private void failed(String what, Throwable e) {
        if (shareFailures.incrementAndGet() % 1000 == 1) {
            LOG.warn("semantic: could not share {} ({}); {} failures so far", what, e.getMessage(), shareFailures.get());
        }
    }

    @Override
    public CompletionStage<Void> ensureLoaded(IndexKey key) {
        SemanticMatcher m = matcher;
        if (m == null || subscriber == null) {
            return CompletableFuture.completedFuture(null);
        }
        Follow state = followed.getIfPresent(key);
        // Loaded, unless the memory budget dropped the index since (then it is loaded again).
        if (state == Follow.LOADING || (state == Follow.LOADED && m.registry().find(key).isPresent())) {
            return CompletableFuture.completedFuture(null);
        }
        // Following starts before the load is sent, so an entry published while the load is on its way is applied too
        // (applying one twice replaces it with itself).
        followed.put(key, Follow.LOADING);
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.send(Request.cmd(Command.HGETALL).arg(redisKey(key)))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        followed.invalidate(key); // try again on the next lookup
                        failed("load of " + key.anchor().hex(), ar.cause());
                        done.complete(null);
                        return;
                    }
                    loaded(key, ar.result(), done);
                });
        return done;
    }

    private void loaded(IndexKey key, Response all, CompletableFuture<Void> done) {
        if (all == null || all.size() == 0) {
            followed.put(key, Follow.LOADED);
            done.complete(null);
            return;
        }
        // A large index takes a while to build (HNSW); lookups go on meanwhile with what is there.
        if (all.size() > LARGE_LOAD) {
            done.complete(null);
        }
        try {
            apply.execute(() -> {
                try {
                    for (String field : all.getKeys()) {
                        add(key, field, all.get(field).toBuffer());
                    }
                    followed.put(key, Follow.LOADED);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException busy) {
            followed.invalidate(key); // the pool is full: load on a later lookup
            done.complete(null);
        }
    }

    private void onMessage(Response message) {
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String[] parts = message.get(2).toString().split("\n", 4);
        if (parts.length != 4 || parts[0].equals(origin)) {
            return;
        }
        switch (parts[1]) {
            case "E" -> onEntry(parts[2], parts[3]);
            case "V" -> onVerdict(parts[2], parts[3]);
            default -> LOG.debug("semantic: ignoring message of kind {}", parts[1]);
        }
    }

    private void onEntry(String redisKey, String entryId) {
        IndexKey key;
        try {
            key = parseKey(redisKey);
        } catch (IllegalArgumentException e) {
            LOG.warn("semantic: ignoring message for {}", redisKey);
            return;
        }
        if (followed.getIfPresent(key) == null) {
            return; // not an anchor this replica is asked about: it loads it on its first lookup
        }
        client.send(Request.cmd(Command.HGET).arg(redisKey).arg(entryId)).onSuccess(value -> {
            if (value != null) {
                run(() -> add(key, entryId, value.toBuffer()), key);
            }
        }).onFailure(e -> followed.invalidate(key));
    }

    private void onVerdict(String entryId, String similarity) {
        SemanticMatcher m = matcher;
        double s;
        try {
            s = Double.parseDouble(similarity);
        } catch (NumberFormatException e) {
            return;
        }
        if (m != null && s >= -1 && s <= 1.0001) {
            m.applyRemoteVerdict(entryId, s, false);
            verdictsApplied.incrementAndGet();
        }
    }

    private void run(Runnable task, IndexKey key) {
        try {
            apply.execute(task);
        } catch (RejectedExecutionException busy) {
            followed.invalidate(key); // this entry is lost here for now: load the anchor again on its next lookup
        }
    }

    private void add(IndexKey key, String entryId, Buffer value) {
        SemanticMatcher m = matcher;
        if (m == null) {
            return;
        }
        try {
            EntryCodec.Decoded d = EntryCodec.decode(entryId, value);
            m.applyRemote(key, d.retrieval(), d.entry());
        } catch (IllegalArgumentException e) {
            LOG.warn("semantic: skipping unreadable shared entry {} ({})", entryId, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
        }
        RedisConnection s = subscriber;
        subscriber = null;
        if (s != null) {
            s.close();
        }
        client.close();
    }
}
