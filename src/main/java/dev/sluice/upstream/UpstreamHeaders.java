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
     * The upstream's headers a client may get ({@link HeaderRules#relayDownstream}: what the client protocols define,
     * never the upstream's infrastructure, its coding or the facts it states about the gateway's own account), less
     * those its {@code Connection} header nominates, with its retry hint as the gateway reads it ({@link RetryAfter#relay}).
     * The content type is the client protocol's to set. Every answer relayed from an upstream, success or error, whole or
     * streamed, in whichever client protocol, takes its head from here.
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
        RetryAfter.relay(out);
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
