package dev.sluice.record;

/** A byte position in the journal: segment number, then offset inside that segment. Ordered. */
record JournalPosition(long segment, long offset) implements Comparable<JournalPosition> {

    @Override
    public int compareTo(JournalPosition o) {
        int c = Long.compare(segment, o.segment);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    boolean isBefore(JournalPosition o) {
        return compareTo(o) < 0;
    }
}
