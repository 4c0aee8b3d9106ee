package dev.sluice.cache;

import dev.sluice.pipeline.Identity;
import java.util.List;
import java.util.Objects;

/**
 * One request as the cache sees it.
 *
 * @param identity   the caller (its org and the route's scope decide who shares entries)
 * @param policy     the route's cache policy
 * @param controls   the request's cache headers ({@link CacheControls#parse})
 * @param body       the request body as the client sent it (read, never written)
 * @param length     bytes of {@code body} that are the request
 * @param keyContext what outside the body changes the answer: the stage passes
 *                   {@code "target=<upstream>/<model sent upstream>"}, {@code "anthropic-beta=<sorted values>"}
 *                   and {@code "anthropic-version=<value>"}
 * @param stream     whether the client asked for a stream (the answer's form; not part of the key)
 */
public record CacheRequest(Identity identity, CachePolicy policy, CacheControls controls, byte[] body, int length,
                           List<String> keyContext, boolean stream) {
    public CacheRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(body, "body");
        Objects.checkFromIndexSize(0, length, body.length);
        keyContext = List.copyOf(keyContext);
    }
}
