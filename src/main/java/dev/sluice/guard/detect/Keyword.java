package dev.sluice.guard.detect;

import java.nio.charset.StandardCharsets;

/**
 * A byte string a detector needs to see before it looks any closer. The automaton matches ASCII letters
 * case-insensitively; an exact keyword is re-checked byte for byte before its detector is called.
 */
public record Keyword(byte[] bytes, boolean exact) {

    public Keyword {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("keyword of " + bytes.length + " byte(s) (expected: at least 2, or the prefilter filters nothing)");
        }
        bytes = bytes.clone();
    }

    /** A keyword matched whatever the case of its ASCII letters. */
    public static Keyword of(String text) {
        return new Keyword(text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** A keyword matched exactly as written. */
    public static Keyword exact(String text) {
        return new Keyword(text.getBytes(StandardCharsets.UTF_8), true);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public String toString() {
        return "Keyword[" + new String(bytes, StandardCharsets.UTF_8) + (exact ? ", exact]" : "]");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keyword k && k.exact == exact && java.util.Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes) * 31 + (exact ? 1 : 0);
    }
}
