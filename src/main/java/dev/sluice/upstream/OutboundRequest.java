package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One attempt's request as the upstream will receive it.
 *
 * @param uri  path (under the upstream's base path) and query
 * @param body the bytes to send, or null for a bodiless call
 */
public record OutboundRequest(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    /**
     * Every upstream request asks for an uncoded answer, whatever the provider adapter, the client or an operator's
     * extra headers said. The gateway reads each answer (usage, errors) and relays its bytes as they came, and its
     * client does not decode; without the header any coding is acceptable (RFC 9110 §12.5.3), so a server or egress
     * proxy may gzip, and that answer, billed upstream, became a 502 here.
     */
    public OutboundRequest {
        headers.set("accept-encoding", "identity");
    }
}
