package dev.sluice.provider.anthropic;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.AnthropicDecoder;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.upstream.Bodies;
import dev.sluice.upstream.OutboundRequest;
import dev.sluice.upstream.UpstreamHeaders;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamProtocol;
import dev.sluice.upstream.UpstreamSpec;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The Anthropic API as an upstream: the canonical wire, so the body goes as the client sent it
 * (with the stages' edits and the target's model name), the client's headers pass less transport
 * and credentials, and the upstream's own key is added.
 */
public final class AnthropicUpstream implements UpstreamProtocol {
    public static final AnthropicUpstream INSTANCE = new AnthropicUpstream();

    private AnthropicUpstream() {
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key) {
        MultiMap headers = UpstreamHeaders.fromClient(ex.request().headers());
        if (key != null && key.isCaller()) {
            // Open local mode with no upstream key: the caller's own credential goes through.
            copy(ex.request().headers(), headers, "x-api-key");
            copy(ex.request().headers(), headers, "authorization");
        } else if (key != null) {
            headers.set("x-api-key", key.value());
        }
        String query = ex.request().query();
        String path = path(ex);
        String uri = query == null || query.isEmpty() ? path : path + "?" + query;
        if (!ex.operation().hasBody()) {
            return Future.succeededFuture(new OutboundRequest(HttpMethod.GET, uri, headers, null));
        }
        RequestBody body = Bodies.withModel(ex, attempt.target().servedModel());
        return Future.succeededFuture(new OutboundRequest(HttpMethod.POST, uri, headers, body.bytes()));
    }

    private static String path(Exchange ex) {
        return switch (ex.operation()) {
            case MESSAGES -> "/v1/messages";
            case COUNT_TOKENS -> "/v1/messages/count_tokens";
            case MODELS -> dev.sluice.wire.Paths.withoutTrailingSlash(ex.request().path());
        };
    }

    private static void copy(MultiMap in, MultiMap out, String name) {
        String v = in.get(name);
        if (v != null) {
            out.set(name, v);
        }
    }

    @Override
    public UpstreamDecoder decoder(Exchange ex, Attempt attempt) {
        return new AnthropicDecoder();
    }

    @Override
    public boolean isStream(int status, MultiMap headers) {
        String type = headers.get("content-type");
        return status == 200 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }
}
