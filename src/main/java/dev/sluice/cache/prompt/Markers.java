package dev.sluice.cache.prompt;

import dev.sluice.cache.key.Breakpoint;

/** Byte ranges of {@code "cache_control": {...}} members, with the comma that joins them to their object. */
final class Markers {
    private Markers() {
    }

    /**
     * {@code [start, end)} of the marker member of {@code b}: from the comma before its name (or, when it is
     * the object's first member, from its name to just past the comma after it).
     */
    static int[] memberRange(byte[] body, Breakpoint b) {
        int p = b.controlStart() - 1;
        p = back(body, p);
        if (p < 0 || body[p] != ':') {
            return new int[] {b.controlStart(), b.controlEnd()};
        }
        p = back(body, p - 1);
        if (p < 0 || body[p] != '"') {
            return new int[] {b.controlStart(), b.controlEnd()};
        }
        int nameStart = p - 1;
        while (nameStart >= 0 && body[nameStart] != '"') {
            nameStart--;
        }
        int before = back(body, nameStart - 1);
        if (before >= 0 && body[before] == ',') {
            return new int[] {before, b.controlEnd()};
        }
        int after = b.controlEnd();
        while (after < body.length && isSpace(body[after])) {
            after++;
        }
        if (after < body.length && body[after] == ',') {
            after++;
        }
        return new int[] {Math.max(0, nameStart), after};
    }

    private static int back(byte[] body, int p) {
        while (p >= 0 && isSpace(body[p])) {
            p--;
        }
        return p;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
