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
}
