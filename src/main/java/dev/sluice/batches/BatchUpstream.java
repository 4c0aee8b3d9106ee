package dev.sluice.batches;

import dev.sluice.config.Snapshot;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.anthropic.AnthropicSettings;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls on an Anthropic upstream's Message Batches API, with the credential of one of its keys. Batch calls are few
 * and not on the Messages hot path, so they share one small client per upstream address rather than the event loops'
 * pools; the headers are the Anthropic provider's (the upstream's configured headers, its key as {@code x-api-key} or a
 * bearer), plus the client's {@code anthropic-version} and {@code anthropic-beta}.
 */
final class BatchUpstream implements AutoCloseable {
    /** The API version spoken for a client that names none (as the Anthropic provider does). */
    private static final String API_VERSION = "2023-06-01";
    /** Longest silence on a batch call before it fails: results of a large batch stream for a while, but never stall. */
    private static final long IDLE_MILLIS = 120_000;

    private final Vertx vertx;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    BatchUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The key a new batch is created with: among those the route allows, the same one for the same caller. */
    static String chooseKey(Snapshot snapshot, String upstream, List<String> pool, String callerKeyId) {
        UpstreamSpec spec = spec(snapshot, upstream);
        List<UpstreamKey> usable = spec.keys().stream().filter(k -> pool.isEmpty() || pool.contains(k.alias())).toList();
        if (usable.isEmpty()) {
            throw ApiError.invalidRequest("upstream '" + upstream + "' has no key of its own, and a Message Batch must be"
                    + " created with one the gateway can use again to read it");
        }
        return usable.get(Math.floorMod(callerKeyId.hashCode(), usable.size())).alias();
    }

    /**
     * Whether the batch's upstream and key are still configured: a reload may remove either, and then no call can reach
     * the batch until one brings them back (the upstream account still holds it).
     */
    static boolean reachable(Snapshot snapshot, String upstream, String keyAlias) {
        UpstreamSpec spec = snapshot.get(Upstreams.PART).get(upstream);
        return spec != null && spec.keys().stream().anyMatch(k -> k.alias().equals(keyAlias));
    }

    /** Sends one call; {@code path} is the API's ({@code /v1/messages/batches/...}), with its query if any. */
    Future<HttpClientResponse> send(Snapshot snapshot, String upstream, String keyAlias, HttpMethod method, String path,
                                    MultiMap clientHeaders, Buffer body) {
        UpstreamSpec spec = spec(snapshot, upstream);
        UpstreamKey key = spec.keys().stream().filter(k -> k.alias().equals(keyAlias)).findFirst().orElseThrow(() ->
                new ApiError(502, "api_error", "the upstream key this Message Batch was created with ('" + keyAlias + "' of '"
                        + upstream + "') is no longer configured; the gateway cannot reach the batch", false, null));
        AnthropicSettings settings = snapshot.get(ProviderSettings.PART).get(upstream, AnthropicSettings.class);
        RequestOptions o = new RequestOptions().setMethod(method).setHost(spec.host()).setPort(spec.port())
                .setURI(spec.pathPrefix() + path).setIdleTimeout(IDLE_MILLIS);
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        o.setHeaders(h);
        String version = clientHeaders == null ? null : clientHeaders.get("anthropic-version");
        h.set("anthropic-version", version == null ? API_VERSION : version);
        String beta = clientHeaders == null ? null : clientHeaders.get("anthropic-beta");
        if (beta != null) {
            h.set("anthropic-beta", beta);
        }
        h.set("accept-encoding", "identity");
        if (body != null) {
            h.set("content-type", "application/json");
        }
        settings.headers().forEach(h::set);
        if (settings.bearer()) {
            h.set("authorization", "Bearer " + key.value());
        } else {
            h.set("x-api-key", key.value());
        }
        HttpClient client = clients.computeIfAbsent(spec.scheme() + "://" + spec.host() + ":" + spec.port() + "|" + spec.caPem(),
                k -> open(spec, snapshot.get(Upstreams.PART).connectMillis()));
        return client.request(o).compose(req -> body == null ? req.send() : req.send(body));
    }

    private HttpClient open(UpstreamSpec spec, long connectMillis) {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setSsl(spec.ssl()).setDecompressionSupported(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectMillis)).setMaxHeaderSize(64 * 1024);
        if (spec.caPem() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(spec.caPem())));
        }
        return vertx.createHttpClient(options);
    }

    private static UpstreamSpec spec(Snapshot snapshot, String upstream) {
        UpstreamSpec spec = snapshot.get(Upstreams.PART).get(upstream);
        if (spec == null) {
            throw new ApiError(502, "api_error", "upstream '" + upstream + "', where this Message Batch lives, is no longer"
                    + " configured; the gateway cannot reach the batch", false, null);
        }
        return spec;
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
    }
}
