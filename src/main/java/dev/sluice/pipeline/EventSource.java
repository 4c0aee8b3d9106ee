package dev.sluice.pipeline;

/**
 * Where a streamed answer's canonical events come from: a live upstream attempt (through its
 * translator), a replayed cached answer, a translated stream. The responder owns the client side
 * (back-pressure, pings, disconnects, timeouts) and drives any source through this interface.
 */
public interface EventSource {
    /** Starts delivering to {@code sink}; every call on the sink happens on the exchange's event loop. */
    void start(EventSink sink);

    /** The client cannot take more: stop reading until {@link #resume()}. */
    void pause();

    void resume();

    /** The client left and the gateway will not read on (cancel mode): release the source now. */
    void cancel();

    /** True for a live upstream, whose silences are timed (pings, idle timeout); a replay is never idle. */
    boolean live();
}
