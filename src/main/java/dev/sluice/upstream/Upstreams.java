package dev.sluice.upstream;

import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configured upstreams of one snapshot, by name, with the timings attempts use.
 *
 * @param connectMillis    to open a TCP (and TLS) connection
 * @param firstByteMillis  from sending a request to the upstream's head (and, for a stream, its first event)
 * @param idleMillis       longest silence while reading an answer's body
 * @param maxResponseBytes largest whole (non-streamed) answer read into memory
 */
public record Upstreams(Map<String, UpstreamSpec> byName, long connectMillis, long firstByteMillis, long idleMillis,
                        long maxResponseBytes) {
    public static final Part<Upstreams> PART = Part.of("upstreams", Upstreams::compile);

    /** Whole answers larger than this are refused: no Messages reply comes near it. */
    static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    static Upstreams compile(SluiceConfig c) {
        Map<String, UpstreamSpec> specs = new LinkedHashMap<>();
        for (UpstreamConfig u : c.upstreams()) {
            specs.put(u.name(), UpstreamSpec.of(u));
        }
        return new Upstreams(Map.copyOf(specs), c.timeouts().connect().toMillis(), c.timeouts().firstByte().toMillis(),
                c.timeouts().idle().toMillis(), MAX_RESPONSE_BYTES);
    }

    public UpstreamSpec get(String name) {
        return byName.get(name);
    }
}
