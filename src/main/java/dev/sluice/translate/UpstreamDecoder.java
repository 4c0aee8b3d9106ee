package dev.sluice.translate;

import dev.sluice.wire.SseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Reads one attempt's answer in the upstream's wire format and gives it back in the gateway's
 * canonical form, the Anthropic Messages wire: SSE events for a stream, a JSON body otherwise. It
 * owns the stream state (partial frames, open content blocks, tool-call indexes) and the usage it
 * saw. One per attempt; confined to the attempt's event loop.
 */
public interface UpstreamDecoder {
    /**
     * The upstream's response head, once, before any chunk or body: a provider may name an error's type
     * in a header (Bedrock's {@code x-amzn-ErrorType}). Nothing to do for most.
     */
    default void head(int status, MultiMap headers) {
    }

    /**
     * The status the client gets for a whole answer the upstream sent with {@code upstreamStatus}, asked
     * once {@link #body} has read it: a provider's own statuses can mean something else on Anthropic's
     * wire (Bedrock's 424 and 503 are Anthropic's 500 and 529). The attempt loop decides retries on it.
     */
    default int clientStatus(int upstreamStatus) {
        return upstreamStatus;
    }

    /** Bytes of a streamed answer as they arrive; appends the canonical events they complete to {@code out}. */
    void chunk(Buffer chunk, List<SseEvent> out);

    /** The upstream stream ended; appends whatever is still owed (nothing, for a clean Anthropic stream). */
    void end(List<SseEvent> out);

    /**
     * A whole upstream body, an answer or an error, as a canonical Messages body: the same bytes when
     * the upstream speaks Anthropic, an Anthropic error envelope for a provider's own error shape.
     */
    Buffer body(int status, Buffer body);

    /** What the answer reported so far: usage, served model, an in-band error, whether it completed. */
    UsageReport report();
}
