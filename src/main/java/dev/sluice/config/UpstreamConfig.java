package dev.sluice.config;

import java.util.List;

/**
 * One upstream provider endpoint.
 *
 * @param name           how routes refer to it
 * @param provider       wire protocol of the upstream; {@code anthropic} today
 * @param baseUrl        scheme, host and optional port (and path prefix) of the upstream API
 * @param keys           upstream credentials; several spread load and keep prompt caches warm per key.
 *                       With none, the caller's own credential is passed through (open mode only)
 * @param maxConnections pooled keep-alive connections per event loop
 */
public record UpstreamConfig(String name, String provider, String baseUrl, List<UpstreamKey> keys, Integer maxConnections) {
    public UpstreamConfig {
        provider = provider == null ? "anthropic" : provider;
        keys = keys == null ? List.of() : keys.stream().filter(k -> k.value() != null && !k.value().isBlank()).toList();
        maxConnections = maxConnections == null ? 256 : maxConnections;
    }

    static UpstreamConfig anthropicDefault() {
        String key = System.getenv("ANTHROPIC_API_KEY");
        List<UpstreamKey> keys = key == null || key.isBlank() ? List.of() : List.of(new UpstreamKey("env", key));
        return new UpstreamConfig("anthropic", "anthropic", "https://api.anthropic.com", keys, null);
    }

    /** An upstream credential; only the alias is ever logged, recorded or returned. */
    public record UpstreamKey(String alias, String value) {
        @Override
        public String toString() {
            return "UpstreamKey[alias=" + alias + ", value=<redacted>]";
        }
    }
}
