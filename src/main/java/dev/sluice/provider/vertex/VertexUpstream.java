package dev.sluice.provider.vertex;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.translate.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Objects;

/**
 * One configured Vertex AI upstream as the attempt loop uses it: per attempt, a current OAuth token (usually at
 * once; a refresh runs off the event loop), the model mapped to Vertex's id, the call built; a decoder for the
 * answer. Immutable apart from the token cache; shared by every event loop.
 *
 * @param baseUrl {@link VertexTarget#endpoint(String)} for the region, or a proxy in front of it
 */
public record VertexUpstream(URI baseUrl, String project, String region, VertexTokens tokens, ClaudeModelIds ids) {
    public VertexUpstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(tokens, "tokens");
        ids = ids == null ? ClaudeModelIds.builtIn() : ids;
        new VertexTarget(baseUrl, project, region, "claude"); // validates project and region now, not per request
    }

    /** The request for an attempt, completed on the caller's context once a token is at hand. */
    public Future<UpstreamCall> call(Vertx vertx, Operation op, RequestBody body, boolean stream, MultiMap clientHeaders,
                                     String model) {
        VertexTarget target;
        try {
            target = new VertexTarget(baseUrl, project, region, ids.vertex(model));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(dev.sluice.wire.ApiError.invalidRequest("model: " + e.getMessage()));
        }
        return tokens.token(vertx).compose(token -> {
            try {
                return Future.succeededFuture(VertexRequests.build(target, op, body, stream, clientHeaders, token));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        });
    }

    public VertexDecoder decoder() {
        return new VertexDecoder();
    }
}
