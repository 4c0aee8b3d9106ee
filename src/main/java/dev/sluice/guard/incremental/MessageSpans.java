package dev.sluice.guard.incremental;

import dev.sluice.guard.MalformedBodyException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where each element of a body's {@code messages} array starts and ends (offsets of its first byte and
 * just past its last). The gateway's body inspection already passes over every message; it can fill this
 * in with the parser's offsets, and {@link #find} is here for callers that have not.
 */
public final class MessageSpans {
    private final int[] starts;
    private final int[] ends;

    private MessageSpans(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /** From offsets found elsewhere (the body inspection): {@code starts[i] < ends[i] <= starts[i + 1]}. */
    public static MessageSpans of(int[] starts, int[] ends) {
        Objects.requireNonNull(starts, "starts");
        Objects.requireNonNull(ends, "ends");
        if (starts.length != ends.length) {
            throw new IllegalArgumentException("message spans: " + starts.length + " starts and " + ends.length + " ends (expected: as many)");
        }
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] < 0 || ends[i] <= starts[i] || (i > 0 && starts[i] < ends[i - 1])) {
                throw new IllegalArgumentException("message span " + i + ": [" + starts[i] + ", " + ends[i] + ") (expected: ordered, non-empty, disjoint)");
            }
        }
        return new MessageSpans(starts.clone(), ends.clone());
    }

    public int count() {
        return starts.length;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    /** Finds the spans with one pass over the body's structure (strings are skipped, not read). */
    public static MessageSpans find(byte[] body, int length) {
        int i = JsonSkip.space(body, 0, length);
        if (i >= length || body[i] != '{') {
            return new MessageSpans(new int[0], new int[0]);
        }
        i++;
        while (true) {
            i = JsonSkip.space(body, i, length);
            if (i < length && body[i] == '}') {
                return new MessageSpans(new int[0], new int[0]);
            }
            if (i >= length || body[i] != '"') {
                throw new MalformedBodyException("expected a key", i);
            }
            int keyEnd = JsonSkip.stringEnd(body, i + 1, length);
            boolean messages = keyEnd - i - 1 == 8 && Arrays.equals(body, i + 1, keyEnd, "messages".getBytes(), 0, 8);
            i = JsonSkip.space(body, keyEnd + 1, length);
            if (i >= length || body[i] != ':') {
                throw new MalformedBodyException("expected ':'", i);
            }
            i = JsonSkip.space(body, i + 1, length);
            if (messages && i < length && body[i] == '[') {
                return elements(body, i + 1, length);
            }
            i = JsonSkip.space(body, JsonSkip.valueEnd(body, i, length), length);
            if (i >= length || body[i] != ',') {
                return new MessageSpans(new int[0], new int[0]);
            }
            i++;
        }
    }

    private static MessageSpans elements(byte[] body, int i, int length) {
        int[] s = new int[16];
        int[] e = new int[16];
        int n = 0;
        i = JsonSkip.space(body, i, length);
        if (i < length && body[i] == ']') {
            return new MessageSpans(new int[0], new int[0]);
        }
        while (true) {
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
            }
            s[n] = i;
            e[n] = JsonSkip.valueEnd(body, i, length);
            i = JsonSkip.space(body, e[n], length);
            n++;
            if (i < length && body[i] == ',') {
                i = JsonSkip.space(body, i + 1, length);
            } else if (i < length && body[i] == ']') {
                return new MessageSpans(Arrays.copyOf(s, n), Arrays.copyOf(e, n));
            } else {
                throw new MalformedBodyException("expected ',' or ']' in messages", i);
            }
        }
    }
}
