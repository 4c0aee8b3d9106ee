package dev.sluice.provider.vertex;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.translate.UpstreamCall;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.HeaderRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Vertex AI request for a canonical one:
 * <ul>
 *   <li>messages: {@code POST .../publishers/anthropic/models/{model}:rawPredict}, {@code :streamRawPredict}
 *       when streaming, body adapted by {@link VertexBody};</li>
 *   <li>count_tokens: {@code POST .../publishers/anthropic/models/count-tokens:rawPredict}, model in the body;</li>
 *   <li>models: not offered by Vertex for partner models (answer it from the model catalog).</li>
 * </ul>
 * The client's forwardable headers go along ({@code anthropic-beta} stays a header on Vertex, as do
 * {@code anthropic-version} and the SDK's {@code x-stainless-*}); the credential is the OAuth access token.
 */
public final class VertexRequests {
    private VertexRequests() {
    }

    /**
     * @param accessToken a current OAuth2 access token (from {@link VertexTokens#token})
     * @throws ApiError 501 for the models operation, 400 for a body that is not a JSON object
     */
    public static UpstreamCall build(VertexTarget target, Operation op, RequestBody body, boolean stream,
                                     MultiMap clientHeaders, String accessToken) {
        String path;
        RequestBody adapted;
        switch (op) {
            case MESSAGES -> {
                path = target.path(target.model(), stream ? "streamRawPredict" : "rawPredict");
                adapted = VertexBody.rawPredictBody(body);
            }
            case COUNT_TOKENS -> {
                path = target.path("count-tokens", "rawPredict");
                adapted = VertexBody.countTokensBody(body, target.model());
            }
            default -> throw ApiError.notSupported("Vertex AI has no model listing for Anthropic models");
        }
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : clientHeaders) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            // x-goog-* are Google's control headers: a caller's x-goog-user-project would bill another project the
            // gateway's service account can use, an x-goog-api-key would ride along with the gateway's token.
            if (HeaderRules.forwardUpstream(name) && !name.equals("content-type") && !name.equals("accept")
                    && !name.startsWith("x-goog-")) {
                out.add(h.getKey(), h.getValue());
            }
        }
        out.set("content-type", "application/json");
        out.set("accept", stream && op == Operation.MESSAGES ? "text/event-stream" : "application/json");
        out.set("authorization", "Bearer " + accessToken);
        return new UpstreamCall(HttpMethod.POST, path, out, adapted.bytes());
    }
}
