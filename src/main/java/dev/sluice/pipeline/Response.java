package dev.sluice.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * An answer for the client in canonical form, from any source: a live upstream attempt, a cached
 * answer, a stage's own reply. The responder writes it in the client's protocol.
 */
public sealed interface Response {
    int status();

    /** Headers from the source (an upstream's, already filtered for the client), or empty. */
    MultiMap headers();

    /** A whole body: a non-streamed answer or an upstream error. */
    record Whole(int status, MultiMap headers, Buffer body) implements Response {
    }

    /** A server-sent event stream, delivered by {@code source} as it arrives. */
    record Stream(int status, MultiMap headers, EventSource source) implements Response {
    }
}
