package dev.sluice.front;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the HTTP front saw of connections and of requests it refused before the pipeline: read by
 * the metrics endpoint. Shared by every event loop.
 */
public final class FrontStats {
    /** Why the front closed a connection itself. */
    public enum Close {
        IDLE("idle"), HEADER_TIMEOUT("header_timeout"), CAPACITY("capacity"), EVICTED("evicted");

        private final String label;

        Close(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final LongAdder open = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder[] closed = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder invalid = new LongAdder();
    private final LongAdder refused = new LongAdder();

    void connected() {
        open.increment();
        opened.increment();
    }

    void disconnected() {
        open.decrement();
    }

    void countClose(Close reason) {
        closed[reason.ordinal()].increment();
    }

    void invalidRequest() {
        invalid.increment();
    }

    void refused() {
        refused.increment();
    }

    /** Connections open now. */
    public long open() {
        return open.sum();
    }

    /** Connections accepted since start. */
    public long opened() {
        return opened.sum();
    }

    /** Connections the front closed itself for this reason since start. */
    public long closed(Close reason) {
        return closed[reason.ordinal()].sum();
    }

    /** Requests the HTTP layer could not parse (bad request line, headers too large, unknown version). */
    public long invalidRequests() {
        return invalid.sum();
    }

    /** Requests refused before the pipeline: unknown paths, wrong methods, unsupported endpoints. */
    public long refusedRequests() {
        return refused.sum();
    }
}
