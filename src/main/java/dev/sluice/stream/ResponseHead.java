package dev.sluice.stream;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Replies;
import dev.sluice.wire.HeaderRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The client's status line and headers: the upstream's (filtered), the stages', then ours. */
final class ResponseHead {
    private ResponseHead() {
    }

    static void apply(Exchange ex, Pipeline pipeline, HttpClientResponse upstream) {
        ex.status(upstream.statusCode());
        pipeline.response(ex);
        HttpServerResponse resp = ex.response();
        resp.setStatusCode(upstream.statusCode());
        MultiMap out = resp.headers();
        Set<String> nominated = HeaderRules.nominated(upstream.headers());
        for (Map.Entry<String, String> h : upstream.headers()) {
            if (HeaderRules.relayDownstream(h.getKey())
                    && (nominated.isEmpty() || !nominated.contains(h.getKey().toLowerCase(Locale.ROOT)))) {
                out.add(h.getKey(), h.getValue());
            }
        }
        out.addAll(ex.responseHeaders());
        ex.markHeadersWritten();
        Replies.commonHeaders(out, ex.requestId(), ex.gatewayMillis());
    }
}
