package dev.sluice.cache.key;

import java.util.Arrays;

/**
 * The member names of the objects being written, each object's sorted by their raw bytes (skipped members left
 * out), on one stack: nested objects push above their parent's names. A stack rather than an array per object,
 * because a long conversation has thousands of content blocks.
 */
final class MemberStack {
    private int[] names = new int[256];
    private int top;
    private JsonTape tape;
    private RequestShape shape;
    private byte[] src;

    void start(JsonTape tape, RequestShape shape) {
        this.tape = tape;
        this.shape = shape;
        this.src = tape.source();
        this.top = 0;
    }

    void finish() {
        tape = null;
        shape = null;
        src = null;
        if (names.length > 1 << 16) {
            names = new int[256]; // one object with a huge member list does not pin its stack in the thread
        }
    }

    /** Pushes the names of {@code object}'s members in order; they are at {@code [base, top())}; returns base. */
    int push(int object) {
        int base = top;
        int n = tape.aux(object);
        if (base + n > names.length) {
            names = Arrays.copyOf(names, Math.max(base + n, names.length * 2));
        }
        int count = 0;
        boolean sorted = true;
        int end = tape.next(object);
        for (int name = object + 1; name < end; name = tape.next(name + 1)) {
            if ((shape.flags(name) & RequestShape.SKIP) != 0) {
                continue;
            }
            if (count > 0 && compare(names[base + count - 1], name) > 0) {
                sorted = false;
            }
            names[base + count++] = name;
        }
        if (!sorted) {
            sort(base, count);
        }
        top = base + count;
        return base;
    }

    int top() {
        return top;
    }

    /** The name at stack position {@code k} (read each time: a nested push may grow the array). */
    int name(int k) {
        return names[k];
    }

    /** Drops everything pushed since {@code base}. */
    void pop(int base) {
        top = base;
    }

    private void sort(int base, int count) {
        if (count <= 16) {
            for (int a = base + 1; a < base + count; a++) { // insertion sort: objects are small and almost always nearly sorted
                int name = names[a];
                int b = a - 1;
                while (b >= base && compare(names[b], name) > 0) {
                    names[b + 1] = names[b];
                    b--;
                }
                names[b + 1] = name;
            }
            return;
        }
        Integer[] boxed = new Integer[count];
        for (int k = 0; k < count; k++) {
            boxed[k] = names[base + k];
        }
        Arrays.sort(boxed, this::compare);
        for (int k = 0; k < count; k++) {
            names[base + k] = boxed[k];
        }
    }

    private int compare(int a, int b) {
        int sa = tape.start(a);
        int sb = tape.start(b);
        int la = tape.end(a) - sa;
        int lb = tape.end(b) - sb;
        int n = Math.min(la, lb);
        for (int k = 0; k < n; k++) { // names are short: a plain loop beats the vectorized mismatch's setup
            int d = (src[sa + k] & 0xFF) - (src[sb + k] & 0xFF);
            if (d != 0) {
                return d;
            }
        }
        return la - lb;
    }
}
