package dev.sluice.cache.semantic.guard;

/**
 * A text's pieces between whitespace, as {@code text.split("\\s+")} makes them (a leading empty piece when the text
 * starts with whitespace, no trailing empty ones, the whole text when it has none), kept as ranges in buffers that a
 * thread reuses from one question to the next (h-sem15: a lookup thread computes one identity after another), with
 * room for each piece's prose word and sense ({@link Word}). Never shared between threads; {@link #of} hands out
 * fresh buffers for a text with more pieces than are worth keeping.
 */
final class Pieces {
    /** Up to this many pieces the buffers are this thread's (a 200-word question has 200); more get their own. */
    private static final int KEPT = 1024;
    private static final ThreadLocal<Pieces> MINE = ThreadLocal.withInitial(() -> new Pieces(256));

    int[] starts;
    int[] ends;
    String[] words;
    String[] senses;
    int count;

    private Pieces(int capacity) {
        starts = new int[capacity];
        ends = new int[capacity];
        words = new String[capacity];
        senses = new String[capacity];
    }

    /** The pieces of {@code text}, in this thread's buffers (valid until its next call) or, for a long text, new ones. */
    static Pieces of(String text) {
        Pieces p = MINE.get();
        p.split(text);
        if (p.count > KEPT) {
            MINE.set(new Pieces(256));
        }
        return p;
    }

    private void split(String text) {
        count = 0;
        int n = text.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            if (!isRegexSpace(text.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (i < n && isRegexSpace(text.charAt(i))) {
                i++;
            }
            add(start, end);
            start = i;
        }
        add(start, n);
        while (count > 0 && starts[count - 1] == ends[count - 1]) {
            count--; // trailing empty pieces, as split drops them
        }
        if (count == 0 && start == 0) {
            add(0, n); // no whitespace at all: the whole text, even when empty
        }
    }

    private void add(int start, int end) {
        if (count == starts.length) {
            int grown = 2 * count;
            starts = java.util.Arrays.copyOf(starts, grown);
            ends = java.util.Arrays.copyOf(ends, grown);
            words = java.util.Arrays.copyOf(words, grown);
            senses = java.util.Arrays.copyOf(senses, grown);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /** The regular expression {@code \\s}: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
