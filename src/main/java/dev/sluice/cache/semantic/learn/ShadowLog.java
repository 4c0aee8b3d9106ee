package dev.sluice.cache.semantic.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What shadow mode saw: would-be hits (not served; the request went upstream) and, once the
 * caller compared the stored answer with the real one, their verdicts. A bounded ring of recent
 * verdicts for the miss analysis and the admin view, plus totals.
 */
public final class ShadowLog {
    /** One verdict; {@code model} is the model the matched request asked for ("" when unknown). */
    public record Verdict(String entryId, String model, double similarity, double threshold, boolean correct, long atMillis) {
    }

    private final Verdict[] ring;
    private int next;
    private int size;
    private final AtomicLong wouldBeHits = new AtomicLong();
    private final AtomicLong right = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();

    public ShadowLog(int capacity) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1..1000000)");
        }
        this.ring = new Verdict[capacity];
    }

    public void wouldBeHit() {
        wouldBeHits.incrementAndGet();
    }

    public synchronized void verdict(Verdict v) {
        (v.correct() ? right : wrong).incrementAndGet();
        ring[next] = v;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public long wouldBeHits() {
        return wouldBeHits.get();
    }

    public long right() {
        return right.get();
    }

    public long wrong() {
        return wrong.get();
    }

    /** Most recent first. */
    public synchronized List<Verdict> recent() {
        List<Verdict> out = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            out.add(ring[(next - i + ring.length) % ring.length]);
        }
        return out;
    }
}
