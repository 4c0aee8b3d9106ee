package dev.sluice.cache.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.entry.EntryCodec;
import dev.sluice.cache.key.KeySecret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Entries in Redis, shared by every replica.
 *
 * <pre>
 *  sluice:cache:{ORG}:e:SCOPE:NS:KEY   generation (8 bytes) + EntryCodec bytes, PX = time to expiry
 *  sluice:cache:{ORG}:g:SCOPE          bust counter of the scope        (INCR)
 *  sluice:cache:{ORG}:g:SCOPE:NS       bust counter of the namespace    (INCR)
 *  sluice:cache:secret                 the key secret, created once with SET NX
 * </pre>
 * ORG, SCOPE and NS are hashes of the names (so no caller-chosen text reaches a key), and the org is
 * a Redis Cluster hash tag: all of an org's keys share a slot, so one {@code MGET} reads an entry
 * and both its counters in a single round trip.
 *
 * <p>One long-lived connection serves every lookup (pipelined by the client; a pool of them threw
 * {@code ConnectionPoolTooBusyException} under load here); it is reopened on the next call after it
 * fails.
 */
public final class RedisStore implements CacheStore {
    private static final String SECRET_KEY = "sluice:cache:secret";
    private static final int SWEEP_COUNT = 1000;
    private static final int MAX_SWEEP_STEPS = 10_000;

    private final Redis client;
    private final LongSupplier clock;
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Future<RedisConnection> connection;

    private RedisStore(Redis client, LongSupplier clock) {
        this.client = client;
        this.clock = clock;
    }

    /** A store on {@code url} ({@code redis://host:port/db}, with {@code user:password@} if needed). */
    public static RedisStore create(Vertx vertx, String url) {
        return new RedisStore(Redis.createClient(vertx, new RedisOptions().setConnectionString(url)), System::currentTimeMillis);
    }

    private Future<RedisConnection> connection() {
        Future<RedisConnection> c = connection;
        if (c == null || c.failed()) {
            synchronized (this) {
                if (connection == null || connection.failed()) {
                    connection = client.connect().map(conn -> {
                        conn.exceptionHandler(e -> connection = null);
                        conn.endHandler(v -> connection = null);
                        return conn;
                    });
                }
                c = connection;
            }
        }
        return c;
    }

    private Future<Response> send(Request request) {
        return connection().compose(c -> c.send(request));
    }

    @Override
    public Future<Found> get(StoreKey key) {
        Keys k = Keys.of(key);
        return send(Request.cmd(Command.MGET).arg(k.entry).arg(k.scopeGeneration).arg(k.namespaceGeneration)).map(r -> {
            long generation = Generations.pack(counter(r.get(1)), counter(r.get(2)));
            Response value = r.get(0);
            if (value == null) {
                return new Found(null, generation);
            }
            byte[] stored = value.toBuffer().getBytes();
            if (stored.length < 8 || ByteBuffer.wrap(stored).getLong() != generation) {
                return new Found(null, generation);
            }
            CacheEntry e = EntryCodec.decode(java.util.Arrays.copyOfRange(stored, 8, stored.length));
            return new Found(e == null || e.expiresAt() <= clock.getAsLong() ? null : e, generation);
        });
    }

    private static int counter(Response r) {
        if (r == null) {
            return 0;
        }
        try {
            return (int) Long.parseLong(r.toString());
        } catch (NumberFormatException e) {
            return -1; // never matches a stored generation: a miss rather than a guess
        }
    }

    @Override
    public Future<Void> put(StoreKey key, CacheEntry entry, long generation) {
        long ttl = entry.expiresAt() - clock.getAsLong();
        if (ttl <= 0) {
            return Future.succeededFuture();
        }
        byte[] encoded = EntryCodec.encode(entry);
        Buffer value = Buffer.buffer(8 + encoded.length).appendLong(generation).appendBytes(encoded);
        puts.incrementAndGet();
        bytes.addAndGet(value.length());
        return send(Request.cmd(Command.SET).arg(Keys.of(key).entry).arg(value).arg("PX").arg(ttl)).mapEmpty();
    }

    @Override
    public Future<Long> bust(String org, String scope, String namespace) {
        Keys k = Keys.of(new StoreKey(org, scope, namespace == null ? "" : namespace, 0, 0));
        String entries = Keys.entries(org, scope, namespace);
        return send(Request.cmd(Command.INCR).arg(namespace == null ? k.scopeGeneration : k.namespaceGeneration))
                .compose(r -> sweep(entries + "*", "0", 0).map(r.toLong()));
    }

    /**
     * Unlinks the busted entries themselves, after the generation bump has already made them unreachable: the bump
     * alone would not survive its counter being evicted ({@code allkeys-*} policies) or lost in a failover, and a
     * missing counter reads as generation 0, the one the busted entries were stored under. Busts are rare admin
     * calls; the scan is bounded by {@link #MAX_SWEEP_STEPS} steps of {@link #SWEEP_COUNT} keys.
     */
    private Future<Void> sweep(String pattern, String cursor, int step) {
        if (step >= MAX_SWEEP_STEPS) {
            return Future.succeededFuture();
        }
        return send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(SWEEP_COUNT)).compose(r -> {
            String next = r.get(0).toString();
            Response found = r.get(1);
            Future<?> unlinked = Future.succeededFuture();
            if (found != null && found.size() > 0) {
                Request unlink = Request.cmd(Command.UNLINK);
                for (Response key : found) {
                    unlink.arg(key.toString());
                }
                unlinked = send(unlink);
            }
            return unlinked.compose(v -> "0".equals(next) ? Future.succeededFuture() : sweep(pattern, next, step + 1));
        });
    }

    @Override
    public Future<KeySecret> secret() {
        return secret(KeySecret.random());
    }

    @Override
    public Future<KeySecret> secret(KeySecret offered) {
        byte[] fresh = offered.seed();
        return send(Request.cmd(Command.SET).arg(SECRET_KEY).arg(Buffer.buffer(fresh)).arg("NX"))
                .compose(r -> send(Request.cmd(Command.GET).arg(SECRET_KEY)))
                .map(r -> KeySecret.of(r.toBuffer().getBytes()));
    }

    @Override
    public StoreStats stats() {
        return new StoreStats(puts.get(), bytes.get(), -1, 0);
    }

    @Override
    public Future<Void> close() {
        return client.close();
    }

    /** The Redis keys of one store key. */
    private record Keys(String entry, String scopeGeneration, String namespaceGeneration) {
        static Keys of(StoreKey key) {
            String prefix = "sluice:cache:{" + hash(key.org()) + "}:";
            String scope = hash(key.scope());
            String ns = hash(key.namespace());
            return new Keys(prefix + "e:" + scope + ":" + ns + ":" + key.keyHex(), prefix + "g:" + scope,
                    prefix + "g:" + scope + ":" + ns);
        }

        /** The prefix every entry key of a scope (namespace null) or of one of its namespaces starts with. */
        static String entries(String org, String scope, String namespace) {
            String p = "sluice:cache:{" + hash(org) + "}:e:" + hash(scope) + ":";
            return namespace == null ? p : p + hash(namespace) + ":";
        }

        private static String hash(String name) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(UTF_8));
                return HexFormat.of().formatHex(d, 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }
}
