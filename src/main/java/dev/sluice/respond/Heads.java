package dev.sluice.respond;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Response;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's status line and headers: the source's, then the stages', then ours. */
final class Heads {
    private static final Logger LOG = LoggerFactory.getLogger(Heads.class);

    private Heads() {
    }

    /**
     * Sets the head of {@code resp}. A header the HTTP layer refuses (a control character in a value a
     * stage set) is dropped and logged rather than losing the whole answer.
     */
    static void apply(Exchange ex, Response r, String contentType) {
        HttpServerResponse resp = ex.response();
        resp.setStatusCode(ex.protocol() == null ? r.status() : ex.protocol().status(r.status()));
        MultiMap out = resp.headers();
        copy(ex, r.headers(), out);
        copy(ex, ex.responseHeaders(), out);
        out.set("content-type", contentType);
        ex.markHeadersWritten();
        Replies.commonHeaders(out, ex.requestId(), ex.gatewayMillis());
        if (ex.protocol() != null) {
            out.set(ex.protocol().requestIdHeader(), ex.requestId()); // the upstream's own never reaches the client
        }
    }

    private static void copy(Exchange ex, MultiMap from, MultiMap out) {
        for (Map.Entry<String, String> h : from) {
            try {
                out.add(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                LOG.warn("request {}: response header '{}' dropped: {}", ex.requestId(), Replies.bounded(h.getKey()), e.getMessage());
            }
        }
    }
}
