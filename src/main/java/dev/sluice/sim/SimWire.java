package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

/**
 * The wire format a simulated answer goes out in. The reply itself (planning, prompt cache, pacing, billing) is
 * the same for every provider; only the bytes differ: Anthropic SSE and JSON ({@link #ANTHROPIC}), Bedrock's
 * binary event stream ({@link BedrockWire}), OpenAI's chat-completion chunks ({@link OpenAiWire}). A stateful
 * wire is made per answer.
 */
interface SimWire {
    /** Anthropic's own wire, for /v1/messages and Vertex. */
    SimWire ANTHROPIC = new SimWire() {
    };

    /** Status line headers of a successful answer. */
    default void successHeaders(SimExchange exchange, boolean stream) {
        exchange.putApiHeaders(stream ? "text/event-stream; charset=utf-8" : "application/json");
    }

    /** The bytes of one planned event (may be empty: not every Anthropic event has a counterpart). */
    default Buffer frame(SseEvent event) {
        return Buffer.buffer(event.frame());
    }

    /** The bytes the {@code error-event:N} fault sends before ending the stream. */
    default Buffer errorEvent(String requestId) {
        return Buffer.buffer(SseEvents.overloadedError(requestId).frame());
    }

    /** The body of a non-streamed answer. */
    default byte[] body(ObjectNode message) {
        return SimJson.bytes(message);
    }

    /** An injected fault's error as this provider words it (Anthropic's own, by default). */
    default ApiException fault(ApiException anthropic) {
        return anthropic;
    }

    /** Sends an error in this wire's shape; false to let the Anthropic envelope go out. */
    default boolean reject(SimExchange exchange, ApiException error) {
        return false;
    }
}
