package dev.sluice.inspect;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes the gateway holds in memory at once, over every connection. A body only
 * grows by what has arrived (never by what a client declares), and while the total is past the
 * budget new bytes are still kept but their readers pause their connections until bodies are
 * released, so a flood of large or slow uploads costs waiting, never the heap (the overshoot is at
 * most one network read per connection). Shared by every event loop.
 */
public final class BodyBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    public BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Counts {@code bytes} as held; true when the total is still within the budget. */
    boolean take(long bytes) {
        return held.addAndGet(bytes) <= limit;
    }

    /** Runs {@code resume} once the total is back within the budget (at once if it already is). */
    void whenFree(Runnable resume) {
        synchronized (waiting) {
            waiting.add(resume);
        }
        wake();
    }

    void release(long bytes) {
        if (bytes > 0) {
            held.addAndGet(-bytes);
            wake();
        }
    }

    private void wake() {
        while (held.get() <= limit) {
            Runnable next;
            synchronized (waiting) {
                next = waiting.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    /** Body bytes held now. */
    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
