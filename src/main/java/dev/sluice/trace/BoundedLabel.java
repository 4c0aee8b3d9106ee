package dev.sluice.trace;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The values one metric label may take, capped. Every series lives in the registry until the process
 * ends, and some label values come from clients (a requested model name, an upstream's error type), so
 * the first {@code max} distinct values are kept and any later one is reported as {@value #OTHER}.
 * Concurrent first sightings may overshoot the cap by a value or two; the bound still holds. How many values the cap
 * turned away is counted ({@link #overflowed}), so an operator sees on the metrics page that "other" is hiding real
 * names (a hostile key can fill the model label behind an upstream that answers any model) and that a restart, or a
 * route that refuses unknown models, would bring them back.
 */
final class BoundedLabel {
    static final String NONE = "none";
    static final String OTHER = "other";
    private static final int MAX_LENGTH = 100;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final LongAdder overflowed = new LongAdder();
    private final int max;

    BoundedLabel(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
        }
        this.max = max;
    }

    /**
     * As {@link #of}, but a value not seen before is only let in when {@code admit} says so; otherwise it is
     * {@value #OTHER}. For labels a caller can invent (a model name nobody serves), so that junk values cannot use up
     * the cap before the real ones arrive.
     */
    String of(String value, boolean admit) {
        if (admit || value == null || value.isEmpty() || seen.contains(value)) {
            return of(value);
        }
        return OTHER;
    }

    /** The label value to use for {@code value}: itself, {@value #NONE} when absent, or {@value #OTHER} past the cap. */
    String of(String value) {
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= max || value.length() > MAX_LENGTH) {
            overflowed.increment();
            return OTHER;
        }
        seen.add(value);
        return value;
    }

    /** Values reported as {@value #OTHER} because the cap was full or the value too long. */
    long overflowed() {
        return overflowed.sum();
    }
}
