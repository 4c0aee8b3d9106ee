package dev.sluice.translate;

import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Writes canonical (Anthropic Messages) events and bodies in the client's protocol. For Anthropic
 * clients it is the identity, byte for byte; an OpenAI client gets chat-completion chunks. One per
 * response; confined to the exchange's event loop.
 */
public interface ClientEncoder {
    /** The bytes to send for these events (possibly none: a ping an OpenAI client has no use for). */
    Buffer events(List<SseEvent> events);

    /** A whole canonical body (an answer, or an error envelope with {@code status} >= 400) in the client's shape. */
    Buffer body(int status, Buffer canonical);

    /**
     * The gateway's own error inside a stream this encoder has begun (an idle or broken upstream), or null to let the
     * client protocol render it ({@link dev.sluice.pipeline.ClientProtocol#errorEvent}). An encoder whose events carry
     * state the error must continue (the Responses API's sequence numbers and final response object) writes it itself.
     */
    default Buffer errorEvent(ApiError error) {
        return null;
    }

    /**
     * The bytes that keep a silent stream alive (the gateway's own ping after {@code streaming.ping-interval} of upstream
     * silence), so proxies and load balancers in between do not close it as idle: by default the canonical ping.
     */
    default Buffer keepAlive(List<SseEvent> ping) {
        return events(ping);
    }

    /** The response's content type. */
    String contentType(boolean stream);
}
