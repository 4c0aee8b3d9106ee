package dev.sluice.guard.incremental;

import dev.sluice.guard.MalformedBodyException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where each element of a body's {@code messages} array starts and ends (offsets of its first byte and
 * just past its last), and where the values of the top-level {@code system} and {@code tools} members are.
 * The gateway's body inspection already passes over every member; it can fill this in with the parser's
 * offsets ({@link #of}), and {@link #find} is here for callers that have not.
 */
public final class MessageSpans {
    /** The members whose digests are kept besides the message prefixes: Claude Code sends them after the messages. */
    static final String[] MEMBERS = {"system", "tools"};
    private static final byte[][] MEMBER_BYTES = {"system".getBytes(StandardCharsets.US_ASCII), "tools".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[] MESSAGES = "messages".getBytes(StandardCharsets.US_ASCII);

    private final int[] starts;
    private final int[] ends;
    /** Per entry of {@link #MEMBERS}: value start and end, or -1. */
    private final int[] memberStarts;
    private final int[] memberEnds;

    private MessageSpans(int[] starts, int[] ends, int[] memberStarts, int[] memberEnds) {
        this.starts = starts;
        this.ends = ends;
        this.memberStarts = memberStarts;
        this.memberEnds = memberEnds;
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
        return new MessageSpans(starts.clone(), ends.clone(), new int[] {-1, -1}, new int[] {-1, -1});
    }

    /** The same messages, with the value spans of {@code system} and {@code tools} (-1 when absent) from the inspection. */
    public MessageSpans withMembers(int systemStart, int systemEnd, int toolsStart, int toolsEnd) {
        return new MessageSpans(starts, ends, new int[] {systemStart, toolsStart}, new int[] {systemEnd, toolsEnd});
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

    /** Value start of member {@code m} of {@link #MEMBERS}, or -1. */
    int memberStart(int m) {
        return memberStarts[m];
    }

    int memberEnd(int m) {
        return memberEnds[m];
    }

    /** Finds the spans with one pass over the body's top-level structure (strings are skipped, not read). */
    public static MessageSpans find(byte[] body, int length) {
        int[] memberStarts = {-1, -1};
        int[] memberEnds = {-1, -1};
        int[][] messages = {new int[0], new int[0]};
        int i = JsonSkip.space(body, 0, length);
        if (i >= length || body[i] != '{') {
            return new MessageSpans(new int[0], new int[0], memberStarts, memberEnds);
        }
        i = JsonSkip.space(body, i + 1, length);
        while (i < length && body[i] != '}') {
            if (body[i] != '"') {
                throw new MalformedBodyException("expected a key", i);
            }
            int keyEnd = JsonSkip.stringEnd(body, i + 1, length);
            int keyStart = i + 1;
            i = JsonSkip.space(body, keyEnd + 1, length);
            if (i >= length || body[i] != ':') {
                throw new MalformedBodyException("expected ':'", i);
            }
            int value = JsonSkip.space(body, i + 1, length);
            if (is(body, keyStart, keyEnd, MESSAGES) && value < length && body[value] == '[') {
                messages = elements(body, value + 1, length);
                i = messages[2][0];
            } else {
                i = JsonSkip.valueEnd(body, value, length);
                for (int m = 0; m < MEMBERS.length; m++) {
                    if (is(body, keyStart, keyEnd, MEMBER_BYTES[m])) {
                        memberStarts[m] = value;
                        memberEnds[m] = i;
                    }
                }
            }
            i = JsonSkip.space(body, i, length);
            if (i < length && body[i] == ',') {
                i = JsonSkip.space(body, i + 1, length);
            }
        }
        return new MessageSpans(messages[0], messages[1], memberStarts, memberEnds);
    }

    private static boolean is(byte[] body, int from, int to, byte[] name) {
        return to - from == name.length && Arrays.equals(body, from, to, name, 0, name.length);
    }

    /** Starts and ends of the array's elements, and the offset after the array. */
    private static int[][] elements(byte[] body, int i, int length) {
        int[] s = new int[16];
        int[] e = new int[16];
        int n = 0;
        i = JsonSkip.space(body, i, length);
        if (i < length && body[i] == ']') {
            return new int[][] {new int[0], new int[0], {i + 1}};
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
                return new int[][] {Arrays.copyOf(s, n), Arrays.copyOf(e, n), {i + 1}};
            } else {
                throw new MalformedBodyException("expected ',' or ']' in messages", i);
            }
        }
    }
}
