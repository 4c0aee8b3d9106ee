package dev.sluice.cache.normalise;

import dev.sluice.cache.key.PathChars;

/**
 * Where a value may be swapped: the keyer's own path rule (a path starts where no name character or slash comes
 * right before it, and ends where no name character follows), and for names the same rule with letters and digits.
 * Both sides use these exact rules, forwarding on raw JSON and restoring on decoded answer text, which is what makes
 * one the inverse of the other. An escaped {@code \n}, {@code \t} or {@code \r} right before counts as a separator,
 * so raw JSON and decoded text agree there too.
 */
final class Boundaries {
    private Boundaries() {
    }

    /**
     * May a value of {@code kind} start after these bytes?
     *
     * @param prev  the byte right before (0 at the start of a text)
     * @param prev2 the byte before that (0 when none)
     */
    static boolean startsAfter(StandIns.Kind kind, byte prev, byte prev2) {
        if (prev == 0) {
            return true;
        }
        if ((prev == 'n' || prev == 't' || prev == 'r') && prev2 == '\\') {
            return true;
        }
        return kind == StandIns.Kind.PATH ? !PathChars.isPathChar(prev) && prev != '/' : !isWordChar(prev);
    }

    /** May a value of {@code kind} end before {@code next}? */
    static boolean endsBefore(StandIns.Kind kind, byte next) {
        return kind == StandIns.Kind.PATH ? !PathChars.isPathChar(next) : !isWordChar(next);
    }

    /** ASCII letters and digits, and every byte of a multi-byte character (a name can be non-ASCII). */
    static boolean isWordChar(byte b) {
        return b < 0 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    static byte before(byte[] src, int at, int from) {
        return at - 1 >= from ? src[at - 1] : 0;
    }
}
