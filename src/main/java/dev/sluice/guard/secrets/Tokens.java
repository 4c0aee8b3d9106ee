package dev.sluice.guard.secrets;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Entropy;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Text;

/** Shared checks of the vendor-token rules: where a token ends, and whether its random part looks random. */
final class Tokens {
    private Tokens() {
    }

    /** The end of a run of {@code kind} bytes from {@code from}, at most {@code max}. */
    static int end(Text t, int from, int max, Chars.Kind kind) {
        return Chars.run(t, from, max, kind);
    }

    /** True when the token starting at {@code start} is not glued to a longer word on its left. */
    static boolean freeLeft(Text t, int start) {
        return Chars.boundaryBefore(t, start, Chars.Kind.ALNUM);
    }

    /**
     * True when {@code [from, to)} is random enough for a credential's secret part and carries no example
     * or placeholder marker: at least two character classes and {@code minBits} of entropy per byte.
     */
    static boolean random(Text t, int from, int to, double minBits) {
        return !Examples.example(t, from, to) && Chars.classes(t, from, to) >= 2 && Entropy.bits(t, from, to) >= minBits;
    }
}
