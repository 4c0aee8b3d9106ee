package dev.sluice.provider.vertex;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.provider.ClientHeaders;
import dev.sluice.provider.Outbound;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.translate.ForeignThinking;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.upstream.OutboundRequest;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamProtocol;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;

/**
 * Vertex AI ({@code provider: vertex}) in the attempt loop: per attempt, a current OAuth token (the
 * service account's, usually at hand; or the attempt's key as a given token), the model mapped to Vertex's
 * id, the rawPredict call built by {@link VertexUpstream}; answers are Anthropic's own SSE and JSON, read by
 * {@link VertexDecoder}, which also scrubs Google's errors of project details.
 */
public final class VertexProtocol implements UpstreamProtocol {
    public static final VertexProtocol INSTANCE = new VertexProtocol();

    private VertexProtocol() {
    }

    @Override
    public String name() {
        return "vertex";
    }

    @Override
    public Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key) {
        if (ex.operation() == Operation.EMBEDDINGS) {
            return Future.failedFuture(ApiError.notSupported("embeddings: upstream '" + upstream.name()
                    + "' serves Claude on Vertex AI, which has no embeddings here (route the model to an OpenAI-compatible upstream)"));
        }
        VertexSettings s = ProviderSettings.of(ex).get(upstream.name(), VertexSettings.class);
        VertexTokens tokens = s.credentials();
        if (tokens == null) {
            if (key == null || key.isCaller()) {
                return Future.failedFuture(ApiError.internal("upstream '" + upstream.name() + "' has no Vertex AI credential"));
            }
            tokens = VertexTokens.ofToken(key.value());
        }
        VertexUpstream vertex = new VertexUpstream(s.baseUrl(), s.project(), s.region(), tokens, null);
        return vertex.call(Vertx.currentContext().owner(), ex.operation(), ForeignThinking.forClaude(ex.body()),
                ex.facts().stream(), ClientHeaders.of(ex),
                s.model(attempt.target().servedModel())).map(call -> Outbound.of(call, upstream));
    }

    @Override
    public UpstreamDecoder decoder(Exchange ex, Attempt attempt) {
        return new VertexDecoder();
    }

    @Override
    public boolean isStream(int status, MultiMap headers) {
        String type = headers.get("content-type");
        return status == 200 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }
}
