package dev.sluice.upstream;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.translate.UpstreamDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

/**
 * A provider's wire (Anthropic, Bedrock, Vertex, OpenAI-compatible): how one attempt's canonical
 * request becomes that provider's HTTP request, and how its answer is read back. One instance per
 * provider, shared by every event loop; per-attempt state lives in what it returns.
 */
public interface UpstreamProtocol {
    /** The name routes and records use ({@code anthropic}, {@code bedrock}, ...). */
    String name();

    /**
     * The HTTP request for this attempt: method, path, headers (the provider's own credential
     * included) and body. May complete later (a token refresh, request signing off the event loop);
     * fails with an {@link dev.sluice.wire.ApiError} when the request cannot be made for this provider.
     */
    Future<OutboundRequest> prepare(Exchange ex, Attempt attempt, UpstreamSpec upstream, UpstreamKey key);

    /** A decoder for this attempt's answer, owning its stream state. */
    UpstreamDecoder decoder(Exchange ex, Attempt attempt);

    /** True when a response with this status and these headers is a stream to relay event by event. */
    boolean isStream(int status, MultiMap headers);
}
