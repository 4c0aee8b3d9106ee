package dev.sluice.upstream;

import dev.sluice.wire.HeaderRules;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which of an upstream's response headers reach the client, and which of a client's reach an upstream. */
public final class UpstreamHeaders {
    private UpstreamHeaders() {
    }

    /**
     * The upstream's headers less hop-by-hop ones, those its {@code Connection} header nominates, and
     * the facts it states about the gateway's own account (rate limits, its request id, organization).
     * The content type is the client protocol's to set.
     */
    static MultiMap forClient(MultiMap upstream) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Set<String> nominated = HeaderRules.nominated(upstream.getAll("connection"));
        for (Map.Entry<String, String> h : upstream) {
            String name = h.getKey();
            if (HeaderRules.relayDownstream(name) && !name.equalsIgnoreCase("content-type")
                    && (nominated.isEmpty() || !nominated.contains(name.toLowerCase(Locale.ROOT)))) {
                out.add(name, h.getValue());
            }
        }
        return out;
    }

    /** The client's headers an upstream may see: all but transport, credentials, our own controls. */
    public static MultiMap fromClient(MultiMap client) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        Set<String> nominated = HeaderRules.nominated(client.getAll("connection"));
        for (Map.Entry<String, String> h : client) {
            if (HeaderRules.forwardUpstream(h.getKey())
                    && (nominated.isEmpty() || !nominated.contains(h.getKey().toLowerCase(Locale.ROOT)))) {
                out.add(h.getKey(), h.getValue());
            }
        }
        return out;
    }
}
