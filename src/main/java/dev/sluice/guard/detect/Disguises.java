package dev.sluice.guard.detect;

/**
 * Characters that change a secret's bytes without changing how it looks, or what it means to a model: invisible
 * ones (soft hyphen, zero-width space and joiners, word joiner, invisible operators, byte-order mark, bidirectional
 * marks, variation selectors, the Mongolian vowel separator, the combining grapheme joiner) and the fullwidth forms of
 * ASCII (U+FF01-FF5E). One of them inside {@code ghp_...} is enough to hide the token from a byte match, and the model
 * on the other side reads straight through it. {@link Undisguise} reads a text again with them dropped (invisible) or
 * read as the ASCII they stand for (fullwidth).
 *
 * <p>Only an invisible character or a fullwidth letter or digit calls for that second reading ({@link #trigger}):
 * fullwidth punctuation alone is ordinary Chinese and Japanese prose, and reading it again would find nothing new.
 * All UTF-8: every character here is two or three bytes, led by 0xC2, 0xCD, 0xE1, 0xE2 or 0xEF.
 */
public final class Disguises {
    private Disguises() {
    }

    /** The byte length of the disguising character at {@code b[i]} (ending by {@code to}), or 0 when there is none. */
    public static int length(byte[] b, int i, int to) {
        if (i + 1 >= to) {
            return 0;
        }
        int c0 = b[i] & 0xff;
        int c1 = b[i + 1] & 0xff;
        switch (c0) {
            case 0xC2 -> {
                return c1 == 0xAD ? 2 : 0;                                        // U+00AD soft hyphen
            }
            case 0xCD -> {
                return c1 == 0x8F ? 2 : 0;                                        // U+034F combining grapheme joiner
            }
            default -> {
                if (i + 2 >= to || c0 != 0xE1 && c0 != 0xE2 && c0 != 0xEF) {
                    return 0;
                }
                return three(c0, c1, b[i + 2] & 0xff, false) ? 3 : 0;
            }
        }
    }

    /**
     * True when the character at {@code b[i]} is invisible, a fullwidth letter or digit, or a look-alike of a letter
     * next to a token's letters ({@link Confusables}): worth reading the text again.
     */
    public static boolean trigger(byte[] b, int i, int to) {
        if (i + 1 >= to) {
            return false;
        }
        int c0 = b[i] & 0xff;
        int c1 = b[i + 1] & 0xff;
        if (c0 == 0xC2 || c0 == 0xCD) {
            return length(b, i, to) == 2;
        }
        if (c0 >= 0xC8 && c0 <= 0xD7) {
            return Confusables.length(b, i, 0, to) == 2;
        }
        return i + 2 < to && (c0 == 0xE1 || c0 == 0xE2 || c0 == 0xEF) && three(c0, c1, b[i + 2] & 0xff, true);
    }

    /**
     * The ASCII byte the disguising character at {@code b[i]} stands for (a fullwidth form), or -1 when it is invisible
     * and reads as nothing. Only for an offset where {@link #length} is not 0.
     */
    public static int ascii(byte[] b, int i) {
        if ((b[i] & 0xff) != 0xEF) {
            return -1;
        }
        int c1 = b[i + 1] & 0xff;
        int c2 = b[i + 2] & 0xff;
        // U+FF01-FF3F is EF BC 81-BF, U+FF40-FF5E is EF BD 80-9E; each is its ASCII character plus 0xFEE0.
        return c1 == 0xBC ? c2 - 0x60 : c1 == 0xBD ? c2 - 0x20 : -1;
    }

    private static boolean three(int c0, int c1, int c2, boolean triggerOnly) {
        if (c0 == 0xE1) {
            return c1 == 0xA0 && c2 == 0x8E;                                      // U+180E Mongolian vowel separator
        }
        if (c0 == 0xE2) {
            // U+200B-200F zero-width space, joiners, direction marks; U+202A-202E embeddings and overrides;
            // U+2060-2064 word joiner and invisible operators; U+2066-2069 isolates.
            return c1 == 0x80 && (c2 >= 0x8B && c2 <= 0x8F || c2 >= 0xAA && c2 <= 0xAE)
                    || c1 == 0x81 && (c2 >= 0xA0 && c2 <= 0xA4 || c2 >= 0xA6 && c2 <= 0xA9);
        }
        return switch (c1) {
            case 0xB8 -> c2 >= 0x80 && c2 <= 0x8F;                                // U+FE00-FE0F variation selectors
            case 0xBB -> c2 == 0xBF;                                              // U+FEFF byte-order mark
            case 0xBC -> triggerOnly ? c2 >= 0x90 && c2 <= 0x99 || c2 >= 0xA1 && c2 <= 0xBA : c2 >= 0x81;  // U+FF01-FF3F
            case 0xBD -> triggerOnly ? c2 >= 0x81 && c2 <= 0x9A : c2 >= 0x80 && c2 <= 0x9E;    // U+FF40-FF5E
            default -> false;
        };
    }
}
