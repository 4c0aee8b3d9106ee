package dev.sluice.pipeline;

import dev.sluice.wire.ApiError;
import dev.sluice.wire.SseEvent;
import java.util.List;

/** What an {@link EventSource} delivers to: batches of canonical events, then an end or a failure. */
public interface EventSink {
    /** Events that arrived together (one upstream read); written to the client in one write. */
    void events(List<SseEvent> batch);

    /** The stream ended cleanly. */
    void end();

    /** The stream broke; the client gets an in-band error event. */
    void fail(ApiError error);
}
