package dev.sluice.upstream;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;

/**
 * Which upstreams hold Anthropic's server-side threads (beta {@code message-threads-2026-08-12}): only Anthropic's own
 * API ({@code provider: anthropic}). A thread request carries only the new turn; sent to any other upstream (an
 * OpenAI-compatible one through translation, Bedrock, Vertex, Foundry) it would be answered without the conversation.
 * So such an attempt is refused before it is sent, as the API refuses a request it cannot thread
 * ({@code thread_unsupported_request}): the SDK's threads then send that turn and the later ones with the whole
 * conversation and no {@code thread}, which any upstream answers rightly. A new provider refuses until it is known
 * to hold threads.
 */
final class ThreadHolders {
    private static final String HOLDER = "anthropic";
    private static final String DETAILS = "{\"error_code\":\"thread_unsupported_request\",\"unsupported\":[]}";

    private ThreadHolders() {
    }

    /** The refusal for sending {@code ex} to {@code spec}, or null when it has no {@code thread} or spec holds threads. */
    static ApiError refusal(Exchange ex, UpstreamSpec spec) {
        if (HOLDER.equals(spec.provider())) {
            return null;
        }
        RequestFacts.Field thread = ex.facts().field("thread");
        if (thread == null || ex.body() == null || ex.body().array()[thread.valueStart()] == 'n') { // absent or null
            return null;
        }
        return new ApiError(400, "invalid_request_error", "thread: upstream '" + spec.name() + "' (" + spec.provider()
                + ") does not hold threads; send the whole conversation without `thread`", false, null, DETAILS);
    }
}
