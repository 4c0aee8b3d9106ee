package dev.sluice.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The keep-alive connection pools of one event loop, one per upstream endpoint, so a request never
 * changes threads on its way out and back. Pools are keyed by what they depend on (scheme, host,
 * port, size, connect timeout, trusted authorities), not by configuration version: a reload that leaves an upstream's
 * address alone keeps its warm connections. A pool no snapshot has used for ten minutes is closed.
 */
final class UpstreamClients {
    private static final long UNUSED_CLOSE_NANOS = 10L * 60 * 1_000_000_000;

    private final Vertx vertx;
    private final Map<UpstreamSpec.Endpoint, Pool> pools = new HashMap<>();
    private long lastSweepNanos = System.nanoTime();

    UpstreamClients(Vertx vertx) {
        this.vertx = vertx;
    }

    HttpClient client(UpstreamSpec spec, long connectMillis) {
        long now = System.nanoTime();
        if (now - lastSweepNanos > UNUSED_CLOSE_NANOS / 10) {
            sweep(now);
        }
        Pool pool = pools.computeIfAbsent(spec.endpoint(connectMillis), this::open);
        pool.lastUsedNanos = now;
        return pool.client;
    }

    private Pool open(UpstreamSpec.Endpoint e) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, e.connectMillis()))
                .setMaxHeaderSize(64 * 1024)
                .setSsl("https".equals(e.scheme()))
                .setDecompressionSupported(false);
        if (e.caPem() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(e.caPem())));
        }
        return new Pool(vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp1MaxSize(e.maxConnections()))
                .withConnectHandler(ReceivedBytes::install).build());
    }

    private void sweep(long now) {
        lastSweepNanos = now;
        for (Iterator<Pool> it = pools.values().iterator(); it.hasNext(); ) {
            Pool p = it.next();
            if (now - p.lastUsedNanos > UNUSED_CLOSE_NANOS) {
                p.client.close();
                it.remove();
            }
        }
    }

    int size() {
        return pools.size();
    }

    private static final class Pool {
        final HttpClient client;
        long lastUsedNanos;

        Pool(HttpClient client) {
            this.client = client;
        }
    }
}
