package dev.sluice.cache.stage;

import java.util.concurrent.atomic.LongAdder;

/** What the semantic cache did, for {@code /metrics} and {@code GET /admin/cache/semantic}. */
public final class SemanticStats {
    /** Why a lookup did not reach the index, or what it found. */
    public enum Lookup {
        HIT("hit"), WOULD_BE_HIT("would_be_hit"), MISS("miss"), TOOL_RESULT("skipped_tool_result"),
        NO_TEXT("skipped_no_text"), BUSY("skipped_busy"), NOT_READY("skipped_not_ready"), STALE("stale_entry"),
        TIMED_OUT("timed_out");

        private final String label;

        Lookup(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final LongAdder[] lookups = new LongAdder[Lookup.values().length];
    private final LongAdder indexed = new LongAdder();
    private final LongAdder shadowRight = new LongAdder();
    private final LongAdder shadowWrong = new LongAdder();
    private final LongAdder feedbackDown = new LongAdder();
    private final LongAdder feedbackUp = new LongAdder();
    private final LongAdder refreshSignals = new LongAdder();
    private final LongAdder evicted = new LongAdder();

    SemanticStats() {
        for (int i = 0; i < lookups.length; i++) {
            lookups[i] = new LongAdder();
        }
    }

    void lookup(Lookup what) {
        lookups[what.ordinal()].increment();
    }

    public long lookups(Lookup what) {
        return lookups[what.ordinal()].sum();
    }

    void indexed() {
        indexed.increment();
    }

    void shadowVerdict(boolean right) {
        (right ? shadowRight : shadowWrong).increment();
    }

    void feedback(boolean down) {
        (down ? feedbackDown : feedbackUp).increment();
    }

    void refreshSignal() {
        refreshSignals.increment();
    }

    void evicted() {
        evicted.increment();
    }

    public long indexedQuestions() {
        return indexed.sum();
    }

    public long shadowRight() {
        return shadowRight.sum();
    }

    public long shadowWrong() {
        return shadowWrong.sum();
    }

    public long feedbackDown() {
        return feedbackDown.sum();
    }

    public long feedbackUp() {
        return feedbackUp.sum();
    }

    public long refreshSignals() {
        return refreshSignals.sum();
    }

    /** Exact entries expired because their answer was flagged wrong. */
    public long evictedEntries() {
        return evicted.sum();
    }
}
