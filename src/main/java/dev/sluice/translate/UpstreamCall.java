package dev.sluice.translate;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Objects;

/**
 * One request as an upstream protocol wants it, built from the canonical request: the request-direction
 * counterpart of an {@link UpstreamDecoder}. The caller sends it on the upstream's connection pool (whose
 * base URL already carries scheme, host and port).
 *
 * @param method      HTTP method
 * @param pathAndQuery path (already percent-encoded) and query, appended to the base URL's path prefix
 * @param headers     every header to send, auth included; nothing of the client's is added later
 * @param body        the bytes to send, or null for none
 */
public record UpstreamCall(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
    public UpstreamCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        Objects.requireNonNull(headers, "headers");
    }
}
