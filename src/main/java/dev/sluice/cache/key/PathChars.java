package dev.sluice.cache.key;

/** Which bytes can continue a path name, for the boundaries around a replaced path. */
public final class PathChars {
    private static final boolean[] PATH = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            PATH[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            PATH[c] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            PATH[c] = true;
        }
        PATH['.'] = true;
        PATH['_'] = true;
        PATH['-'] = true;
        PATH['~'] = true;
        PATH['+'] = true;
        PATH['@'] = true;
    }

    private PathChars() {
    }

    /** Letters, digits and {@code . _ - ~ + @}; bytes of multi-byte UTF-8 characters count too (a name can be non-ASCII). */
    public static boolean isPathChar(byte b) {
        return b < 0 || PATH[b];
    }
}
