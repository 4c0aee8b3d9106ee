package dev.sluice.provider;

import dev.sluice.translate.UpstreamCall;
import dev.sluice.upstream.OutboundRequest;
import dev.sluice.upstream.UpstreamSpec;

/**
 * A provider's call as the attempt loop sends it. The wire builders put the base URL's path prefix in
 * front of their paths (a SigV4 signature covers the whole path), while the attempt loop adds the
 * upstream's prefix itself: the prefix comes off here, once.
 */
public final class Outbound {
    private Outbound() {
    }

    public static OutboundRequest of(UpstreamCall call, UpstreamSpec spec) {
        String uri = call.pathAndQuery();
        String prefix = spec.pathPrefix();
        if (!prefix.isEmpty()) {
            if (!uri.startsWith(prefix)) {
                throw new IllegalStateException("call path " + uri + " is not under the upstream's path " + prefix);
            }
            uri = uri.substring(prefix.length());
        }
        return new OutboundRequest(call.method(), uri, call.headers(), call.body());
    }
}
