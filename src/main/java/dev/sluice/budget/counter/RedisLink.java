package dev.sluice.budget.counter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived Redis connection that every event loop pipelines its commands through (the pooled client refuses
 * callers past its waiter limit under load; one connection pipelines without limit). A broken connection is dropped
 * and the next call reconnects, at most once per {@link #RECONNECT_PAUSE}; calls in between fail fast so the
 * caller's fail-open or fail-closed policy applies at once instead of waiting for a timeout.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(500);
    private static final int DROP_AFTER_TIMEOUTS = 3;

    private final Redis client;
    private final long timeoutMillis;
    private volatile Future<RedisConnection> connection;
    private volatile long lastFailure = Long.MIN_VALUE / 2;
    /** Milliseconds for the reconnect pause: monotonic, since the pause is a duration. */
    private final LongSupplier ticks;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger timeouts = new java.util.concurrent.atomic.AtomicInteger();

    public RedisLink(Vertx vertx, String url, Duration timeout) {
        this(vertx, url, timeout, () -> System.nanoTime() / 1_000_000);
    }

    RedisLink(Vertx vertx, String url, Duration timeout, LongSupplier ticks) {
        this.ticks = ticks;
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(65_536));
        this.timeoutMillis = timeout.toMillis();
    }

    public Future<Response> send(Request request) {
        return connection().compose(c -> c.send(request)).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .onSuccess(r -> timeouts.set(0)).onFailure(this::failed);
    }

    /**
     * Connects and loads the scripts, waiting up to {@code patience}: a cold JVM's first connection and script
     * compile can take longer than the hot-path timeout, and should not send the first requests to the fallback.
     */
    public void warmUp(Duration patience, Script... scripts) {
        Future<?> f = connection();
        for (Script s : scripts) {
            f = f.compose(v -> connection().compose(c -> c.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(s.source))));
        }
        try {
            f.timeout(patience.toMillis(), TimeUnit.MILLISECONDS).await();
        } catch (Exception e) { // await rethrows a refused connection's checked ConnectException as it is
            log.error("budget counters: redis not reachable at start ({}); the failure policy applies until it is", e.toString());
        }
    }

    /** EVALSHA, falling back to EVAL when the server does not know the script (a restart or SCRIPT FLUSH). */
    public Future<Response> eval(Script script, List<String> keys, List<String> args) {
        return send(script.request(Command.EVALSHA, script.sha, keys, args)).recover(e -> {
            String m = e.getMessage();
            if (m != null && m.startsWith("NOSCRIPT")) {
                return send(script.request(Command.EVAL, script.source, keys, args));
            }
            return Future.failedFuture(e);
        });
    }

    private Future<RedisConnection> connection() {
        Future<RedisConnection> c = connection;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (connection != null) {
                return connection;
            }
            // On the wall clock, as this was, a clock stepped back after a failure held every reconnect off for the
            // length of the step: an hour with no counters (fail-closed refusals, or local ones) after Redis was back
            // (attack round 34). A failure "in the future" ends the pause too.
            long since = ticks.getAsLong() - lastFailure;
            if (since >= 0 && since < RECONNECT_PAUSE.toMillis()) {
                return Future.failedFuture(new IOException("redis unavailable (reconnecting)"));
            }
            Future<RedisConnection> next = client.connect();
            next.onSuccess(conn -> {
                conn.exceptionHandler(e -> drop(next, e));
                conn.endHandler(v -> drop(next, new IOException("redis connection closed")));
            });
            next.onFailure(e -> drop(next, e));
            connection = next;
            return next;
        }
    }

    /**
     * A reply from Redis (a script error) says nothing about the connection. One slow reply neither: dropping the
     * connection would fail every command pipelined behind it and turn a slow moment into an outage, so only
     * {@link #DROP_AFTER_TIMEOUTS} timeouts in a row (a half-open connection) or a transport error drop it.
     */
    private void failed(Throwable e) {
        if (e.getClass().getSimpleName().equals("ErrorType")) {
            return;
        }
        if (e instanceof java.util.concurrent.TimeoutException && timeouts.incrementAndGet() < DROP_AFTER_TIMEOUTS) {
            return;
        }
        timeouts.set(0);
        Future<RedisConnection> c = connection;
        if (c != null) {
            drop(c, e);
        }
    }

    private synchronized void drop(Future<RedisConnection> which, Throwable why) {
        if (connection == which) {
            connection = null;
            lastFailure = ticks.getAsLong();
            if (!closed) {
                log.warn("budget counters: redis connection lost ({}); reconnecting", why.toString());
            }
            if (which.succeeded()) {
                which.result().close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Future<RedisConnection> c = connection;
        if (c != null && c.succeeded()) {
            c.result().close();
        }
        client.close();
    }

    /** A Lua script: the common functions followed by its own body, and the SHA-1 EVALSHA names it by. */
    public static final class Script {
        final String source;
        final String sha;

        Script(String name) {
            this(RedisLink.class, name, true);
        }

        /** A script read beside {@code anchor}; {@code withCommon} prepends this package's shared functions. */
        public Script(Class<?> anchor, String name, boolean withCommon) {
            this.source = (withCommon ? read(RedisLink.class, "common.lua") + "\n" : "") + read(anchor, name);
            try {
                this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Request request(Command cmd, String first, List<String> keys, List<String> args) {
            Request r = Request.cmd(cmd).arg(first).arg(keys.size());
            keys.forEach(r::arg);
            args.forEach(r::arg);
            return r;
        }

        private static String read(Class<?> anchor, String name) {
            try (InputStream in = anchor.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException(name + " is missing from the classpath (expected beside " + anchor.getSimpleName() + ")");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
