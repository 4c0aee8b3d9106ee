package dev.sluice.provider;

import dev.sluice.config.TimeoutConfig;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.config.UpstreamConfig.UpstreamKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;

/**
 * One upstream as seen from one event loop: where it is, its credentials and a connection pool
 * bound to the loop (so a request never hops threads on its way out).
 */
public final class Upstream {
    private final UpstreamConfig config;
    private final HttpClient client;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String pathPrefix;

    public Upstream(Vertx vertx, UpstreamConfig config, TimeoutConfig timeouts) {
        this.config = config;
        URI base = URI.create(config.baseUrl());
        this.ssl = "https".equals(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) timeouts.connect().toMillis())
                .setMaxHeaderSize(64 * 1024)
                .setSsl(ssl)
                .setDecompressionSupported(false);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxConnections()));
    }

    public String name() {
        return config.name();
    }

    public HttpClient client() {
        return client;
    }

    /** Request options for a path under the upstream's base URL. */
    public RequestOptions request(HttpMethod method, String pathAndQuery) {
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(ssl)
                .setURI(pathPrefix + pathAndQuery);
    }

    /** True when the upstream has credentials of its own (otherwise open-mode callers bring theirs). */
    public boolean hasKeys() {
        return !config.keys().isEmpty();
    }

    /**
     * The credential for a request. The same conversation always gets the same key, because the
     * provider's prompt cache is kept per key (an org) and a switch would throw the cache away.
     */
    public UpstreamKey keyFor(String stickyKey) {
        List<UpstreamKey> keys = config.keys();
        return keys.get(Math.floorMod(stickyKey == null ? 0 : stickyKey.hashCode(), keys.size()));
    }
}
