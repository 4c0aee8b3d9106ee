package dev.sluice.provider.bedrock;

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

/**
 * Bedrock ({@code provider: bedrock}) in the attempt loop: per attempt, the upstream's settings and the
 * attempt's key give a {@link BedrockUpstream}, which maps the model, adapts the body, signs the call; the
 * answer is read by a {@link BedrockDecoder}, whose event stream becomes Anthropic SSE (the responder adds its
 * own pings during Bedrock's silences, since Bedrock sends none).
 */
public final class BedrockProtocol implements UpstreamProtocol {
    public static final BedrockProtocol INSTANCE = new BedrockProtocol();

    private BedrockProtocol() {
    }

    @Override
    public String name() {
        return "bedrock";
    }

    @Override
    public Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key) {
        if (ex.operation() == Operation.EMBEDDINGS) {
            return Future.failedFuture(ApiError.notSupported("embeddings: upstream '" + upstream.name()
                    + "' serves Claude on Bedrock, which has no embeddings here (route the model to an OpenAI-compatible upstream)"));
        }
        if (key == null || key.isCaller()) {
            return Future.failedFuture(ApiError.internal("upstream '" + upstream.name() + "' has no Bedrock credential"));
        }
        BedrockSettings s = ProviderSettings.of(ex).get(upstream.name(), BedrockSettings.class);
        BedrockUpstream bedrock = new BedrockUpstream(s.baseUrl(), s.region(), s.profile(), s.auth(key), null, null);
        return bedrock.call(ex.operation(), ForeignThinking.forClaude(ex.body()), ex.facts().stream(), ClientHeaders.of(ex),
                s.model(attempt.target().servedModel())).map(call -> Outbound.of(call, upstream));
    }

    @Override
    public UpstreamDecoder decoder(Exchange ex, Attempt attempt) {
        return new BedrockDecoder(ex.operation());
    }

    @Override
    public boolean isStream(int status, MultiMap headers) {
        String type = headers.get("content-type");
        return status == 200 && type != null && type.regionMatches(true, 0, BedrockRequests.EVENT_STREAM, 0,
                BedrockRequests.EVENT_STREAM.length());
    }
}
