package dev.sluice.upstream;

import dev.sluice.config.ConfigException;
import dev.sluice.config.UpstreamConfig;
import java.net.URI;
import java.util.List;

/**
 * One configured upstream, compiled: where it is, which wire it speaks, its credentials.
 *
 * @param pathPrefix the base URL's path, without a trailing slash ("" for none)
 * @param caPem      the authorities to trust instead of the system's ({@code ca-file}'s PEM text), or null
 */
public record UpstreamSpec(String name, String provider, String scheme, String host, int port, String pathPrefix,
                           List<UpstreamKey> keys, int maxConnections, String caPem) {

    static UpstreamSpec of(UpstreamConfig c) {
        URI base;
        try {
            base = URI.create(c.baseUrl());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("upstream '" + c.name() + "': base-url '" + c.baseUrl() + "' is not a URL");
        }
        boolean ssl = "https".equals(base.getScheme());
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return new UpstreamSpec(c.name(), c.provider(), base.getScheme(), base.getHost(),
                base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80,
                path.equals("/") ? "" : dev.sluice.wire.Paths.withoutTrailingSlash(path),
                c.keys().stream().map(k -> new UpstreamKey(k.alias(), k.value())).toList(), c.maxConnections(),
                TrustedAuthorities.read(c.name(), c.caFile(), ssl));
    }

    public boolean ssl() {
        return "https".equals(scheme);
    }

    /** True when the upstream has credentials of its own (otherwise open-mode callers bring theirs). */
    public boolean hasKeys() {
        return !keys.isEmpty();
    }

    /**
     * The credential for an attempt. The same conversation always starts on the same key, because
     * the provider's prompt cache is kept per key (an account) and a switch would throw the cache
     * away; a retry moves to the next key, since the one that failed is the likeliest to fail again.
     */
    public UpstreamKey keyFor(String stickyKey, int attempt) {
        int start = Math.floorMod(stickyKey == null ? 0 : stickyKey.hashCode(), keys.size());
        return keys.get((start + attempt - 1) % keys.size());
    }

    /** What the connection pool depends on: a reload that leaves this alone keeps the pool. */
    Endpoint endpoint(long connectMillis) {
        return new Endpoint(scheme, host, port, maxConnections, connectMillis, caPem);
    }

    /** The identity of a connection pool. */
    record Endpoint(String scheme, String host, int port, int maxConnections, long connectMillis, String caPem) {
    }

    @Override
    public String toString() {
        return "UpstreamSpec[" + name + " " + provider + " " + scheme + "://" + host + ":" + port + pathPrefix + ", "
                + keys.size() + " key(s)]";
    }
}
