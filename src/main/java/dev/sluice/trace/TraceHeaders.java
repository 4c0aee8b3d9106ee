package dev.sluice.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.http.HttpServerRequest;

/** Lets the W3C propagator read {@code traceparent} and {@code tracestate} from a Vert.x request (it looks headers up by name only). */
enum TraceHeaders implements TextMapGetter<HttpServerRequest> {
    INSTANCE;

    @Override
    public String get(HttpServerRequest request, String key) {
        return request == null ? null : request.getHeader(key);
    }
}
