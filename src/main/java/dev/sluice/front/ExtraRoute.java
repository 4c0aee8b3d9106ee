package dev.sluice.front;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * A non-pipeline endpoint mounted on the front (metrics, admin API, usage): requests whose path
 * starts with {@code prefix} go to {@code handler}.
 */
public record ExtraRoute(String prefix, Handler<HttpServerRequest> handler) {
    public boolean matches(String path) {
        return path.equals(prefix) || (prefix.endsWith("/") ? path.startsWith(prefix) : path.startsWith(prefix + "/"));
    }
}
