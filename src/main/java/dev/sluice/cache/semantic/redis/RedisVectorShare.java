package dev.sluice.cache.semantic.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.IndexLoader;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.StoreListener;
import dev.sluice.cache.semantic.index.IndexKey;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares semantic entries across replicas through plain Redis: the vectors live in Redis, every
 * replica searches its own in-process index. Chosen over Redis' own vector search because the
 * redis-server 7 that Debian ships has none (RediSearch is a separate module, vector sets came with
 * Redis 8), because a lookup then costs no network round trip once an anchor is loaded, and
 * because the guard and verification need the entries' code identity and second vector locally.
 *
 * <ul>
 *   <li>One hash per index: {@code sluice:sem:{scope}:model:anchor}, field = entry id, value =
 *       {@link EntryCodec}; the {@code {scope}} hash tag keeps a tenant's keys on one Cluster slot;
 *       the key's TTL is the entry TTL, renewed by each store.</li>
 *   <li>A store here: HSET + EXPIRE, then PUBLISH on {@value #CHANNEL} (origin, key, entry id); the
 *       other replicas HGET that field and add it to their index.</li>
 *   <li>The first lookup of an anchor on this replica loads the hash (HGETALL) before searching;
 *       loaded and empty anchors are remembered for a minute so later lookups cost nothing.</li>
 * </ul>
 * Redis work runs on the connections' event loop; index updates are handed to {@code apply}.
 */
public final class RedisVectorShare implements IndexLoader, StoreListener {
    public static final String CHANNEL = "sluice:sem:new";
    /** Above this many entries the first lookup does not wait for the load to finish. */
    private static final int LARGE_LOAD = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(RedisVectorShare.class);

    private final RedisConnection commands;
    private final Executor apply;
    private final Duration ttl;
    private final String origin = UUID.randomUUID().toString();
    private final Cache<IndexKey, Boolean> known = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
            .maximumSize(100_000).build();
    private volatile SemanticMatcher matcher;

    /** {@code commands}: a long-lived connection for reads and writes (not the subscriber). */
    public RedisVectorShare(RedisConnection commands, Executor apply, Duration ttl) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.apply = Objects.requireNonNull(apply, "apply");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /** Binds the matcher (built with this object as loader and listener); {@code subscriber} is put in subscribe mode. */
    public Future<Void> start(SemanticMatcher matcher, RedisConnection subscriber) {
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        subscriber.handler(this::onMessage);
        return subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL)).mapEmpty();
    }

    static String redisKey(IndexKey key) {
        String scope = Base64.getUrlEncoder().withoutPadding().encodeToString(key.scope().getBytes(StandardCharsets.UTF_8));
        return "sluice:sem:{" + scope + "}:" + key.model() + ":" + key.anchor().hex();
    }

    static IndexKey parseKey(String redisKey) {
        String[] parts = redisKey.split(":");
        if (parts.length != 5 || !parts[2].startsWith("{") || !parts[2].endsWith("}")) {
            throw new IllegalArgumentException("not a semantic key: " + redisKey);
        }
        String scope = new String(Base64.getUrlDecoder().decode(parts[2].substring(1, parts[2].length() - 1)), StandardCharsets.UTF_8);
        return new IndexKey(scope, Anchor.fromHex(parts[4]), parts[3]);
    }

    @Override
    public void stored(IndexKey key, float[] retrievalVector, StoredEntry entry) {
        String k = redisKey(key);
        commands.batch(java.util.List.of(
                        Request.cmd(Command.HSET).arg(k).arg(entry.entryId()).arg(EntryCodec.encode(retrievalVector, entry)),
                        Request.cmd(Command.EXPIRE).arg(k).arg(Math.max(1, ttl.toSeconds())),
                        Request.cmd(Command.PUBLISH).arg(CHANNEL).arg(origin + "\n" + k + "\n" + entry.entryId())))
                .onFailure(e -> LOG.warn("semantic: could not share entry {} ({})", entry.entryId(), e.getMessage()));
    }

    @Override
    public CompletionStage<Void> ensureLoaded(IndexKey key) {
        if (known.getIfPresent(key) != null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.send(Request.cmd(Command.HGETALL).arg(redisKey(key))).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("semantic: could not load {} ({}); searching the local index only", key.anchor().hex(), ar.cause().getMessage());
                done.complete(null);
                return;
            }
            Response all = ar.result();
            known.put(key, Boolean.TRUE);
            if (all == null || all.size() == 0) {
                done.complete(null);
                return;
            }
            // A large index takes a while to build (HNSW); lookups go on meanwhile with what is there.
            boolean large = all.size() > LARGE_LOAD;
            if (large) {
                done.complete(null);
            }
            apply.execute(() -> {
                try {
                    for (String field : all.getKeys()) {
                        add(key, field, all.get(field).toBuffer());
                    }
                } finally {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    private void onMessage(Response message) {
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String[] parts = message.get(2).toString().split("\n", 3);
        if (parts.length != 3 || parts[0].equals(origin)) {
            return;
        }
        IndexKey key;
        try {
            key = parseKey(parts[1]);
        } catch (IllegalArgumentException e) {
            LOG.warn("semantic: ignoring message for {}", parts[1]);
            return;
        }
        commands.send(Request.cmd(Command.HGET).arg(parts[1]).arg(parts[2])).onSuccess(value -> {
            if (value != null) {
                apply.execute(() -> add(key, parts[2], value.toBuffer()));
            }
        });
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
}
