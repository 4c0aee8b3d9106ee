package dev.sluice.provider.bedrock;

import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.translate.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;

/**
 * One configured Bedrock upstream as the attempt loop uses it: per attempt, the requested model is mapped to
 * Bedrock's id (with the upstream's inference-profile prefix), the call is built and signed, and a decoder is
 * made for the answer. Immutable; shared by every event loop.
 *
 * @param baseUrl the runtime endpoint ({@link BedrockTarget#regionalEndpoint}) or a proxy in front of it
 * @param profile inference-profile prefix ({@code us}, {@code eu}, {@code apac}, {@code global}) or null for bare ids
 */
public record BedrockUpstream(URI baseUrl, String region, String profile, BedrockAuth auth, ClaudeModelIds ids, Clock clock) {
    public BedrockUpstream {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(auth, "auth");
        ids = ids == null ? ClaudeModelIds.builtIn() : ids;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** The request for an attempt; completes at once (signing is a few tens of microseconds, done on the caller's thread). */
    public Future<UpstreamCall> call(Operation op, RequestBody body, boolean stream, MultiMap clientHeaders, String model) {
        try {
            BedrockTarget target = new BedrockTarget(baseUrl, region, ids.bedrock(model, profile), auth);
            return Future.succeededFuture(new BedrockRequests(clock).build(target, op, body, stream, clientHeaders));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** A decoder for one attempt's answer (call {@link BedrockDecoder#head} with the response headers first). */
    public BedrockDecoder decoder(Operation op) {
        return new BedrockDecoder(op);
    }

    /** The model the client should see for Bedrock's id (message_start carries Anthropic's already). */
    public String clientModel(String bedrockId) {
        return ids.fromProvider(bedrockId);
    }
}
