package dev.sluice.translate;

/**
 * Finds a short byte pattern by an anchor pair of adjacent bytes in it, verifying only where that pair stands.
 * {@link ForeignThinking} runs it over every body bound for Claude, so its cost is paid per request: with the Vector
 * API ({@link VectorMarkSearch}) about four times less time per byte than the eight-bytes-at-a-time search of
 * {@code cache.key.ByteSearch} (measured side by side on a 220 KB body: 21 us against 96 us on a loaded machine); a JVM
 * started without {@code --add-modules jdk.incubator.vector} (a plain {@code java -jar}) gets this class's byte loop.
 */
final class MarkSearch {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private MarkSearch() {
    }

    /** The first index of {@code pattern} in {@code src[0, length)}, or -1; the anchor is {@code pattern[anchor, anchor + 2)}. */
    static int indexOf(byte[] src, int length, byte[] pattern, int anchor) {
        return VECTOR ? VectorMarkSearch.indexOf(src, length, pattern, anchor) : from(src, length, pattern, anchor, anchor);
    }

    /** The byte loop, from the anchor position {@code q} on (where a vector search stopped, or the start). */
    static int from(byte[] src, int length, byte[] pattern, int anchor, int q) {
        byte first = pattern[anchor];
        byte second = pattern[anchor + 1];
        for (; q + 1 < length; q++) {
            int at = q - anchor;
            if (src[q] == first && src[q + 1] == second && at + pattern.length <= length && matches(src, at, pattern)) {
                return at;
            }
        }
        return -1;
    }

    static boolean matches(byte[] src, int at, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (src[at + i] != pattern[i]) {
                return false;
            }
        }
        return true;
    }
}
