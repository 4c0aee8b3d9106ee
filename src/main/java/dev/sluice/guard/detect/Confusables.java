package dev.sluice.guard.detect;

/**
 * Cyrillic, Greek and Latin-extended letters that look like an ASCII letter (the Latin look-alikes of Unicode TR39's
 * confusable skeletons): {@code ghр_} with U+0440, {@code ѕk-ant-} with U+0455, {@code АKIA} with U+0410. The upstream
 * would refuse such a key, but a person reading the log, or a model repeating it, restores it, and the provider's logs
 * hold a near-exact credential. {@link Undisguise} reads one as its ASCII letter.
 *
 * <p>Only a look-alike written next to an ASCII letter, digit, {@code _} or {@code -} counts ({@link #length}): a token
 * with one swapped letter has them on a side, while Russian prose and Greek formulas have their letters among their
 * own script, spaces and operators, and are not read again. All are two UTF-8 bytes, led by 0xC9, 0xCE, 0xCF or 0xD0-0xD4.
 */
public final class Confusables {
    /** By lead byte (0xC8-0xD7) and second byte's low six bits: the ASCII letter, or 0. */
    private static final byte[] ASCII = new byte[16 * 64];

    static {
        // U+0400-043F (D0 80-BF), U+0440-047F (D1), U+0480-04FF (D2, D3), U+0500-053F (D4)
        put(0xD0, 0x85, 'S'); put(0xD0, 0x86, 'I'); put(0xD0, 0x88, 'J'); put(0xD0, 0x90, 'A'); put(0xD0, 0x92, 'B');
        put(0xD0, 0x95, 'E'); put(0xD0, 0x9A, 'K'); put(0xD0, 0x9C, 'M'); put(0xD0, 0x9D, 'H'); put(0xD0, 0x9E, 'O');
        put(0xD0, 0xA0, 'P'); put(0xD0, 0xA1, 'C'); put(0xD0, 0xA2, 'T'); put(0xD0, 0xA5, 'X'); put(0xD0, 0xB0, 'a');
        put(0xD0, 0xB5, 'e'); put(0xD0, 0xBE, 'o'); put(0xD1, 0x80, 'p'); put(0xD1, 0x81, 'c'); put(0xD1, 0x83, 'y');
        put(0xD1, 0x85, 'x'); put(0xD1, 0x95, 's'); put(0xD1, 0x96, 'i'); put(0xD1, 0x98, 'j'); put(0xD2, 0xBB, 'h');
        put(0xD3, 0x8F, 'l'); put(0xD4, 0x81, 'd'); put(0xD4, 0x9B, 'q'); put(0xD4, 0x9D, 'w');
        // U+0380-03BF (CE), U+03C0-03FF (CF)
        put(0xCE, 0x91, 'A'); put(0xCE, 0x92, 'B'); put(0xCE, 0x95, 'E'); put(0xCE, 0x96, 'Z'); put(0xCE, 0x97, 'H');
        put(0xCE, 0x99, 'I'); put(0xCE, 0x9A, 'K'); put(0xCE, 0x9C, 'M'); put(0xCE, 0x9D, 'N'); put(0xCE, 0x9F, 'O');
        put(0xCE, 0xA1, 'P'); put(0xCE, 0xA4, 'T'); put(0xCE, 0xA5, 'Y'); put(0xCE, 0xA7, 'X'); put(0xCE, 0xB1, 'a');
        put(0xCE, 0xB9, 'i'); put(0xCE, 0xBA, 'k'); put(0xCE, 0xBD, 'v'); put(0xCE, 0xBF, 'o'); put(0xCF, 0x81, 'p');
        put(0xCF, 0x85, 'u');
        // U+0251 Latin alpha, U+0261 script g
        put(0xC9, 0x91, 'a'); put(0xC9, 0xA1, 'g');
    }

    private static void put(int lead, int second, char ascii) {
        ASCII[(lead - 0xC8) * 64 + (second & 0x3F)] = (byte) ascii;
    }

    /** The lead bytes of the look-alikes, for the SIMD search ({@code engine.VectorDisguises}). */
    public static final int[] LEADS = {0xC9, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4};

    private Confusables() {
    }

    /**
     * The ASCII letter the two-byte character at {@code b[i]} (ending by {@code to}) looks like, or 0 when it is none;
     * regardless of its neighbours.
     */
    public static int ascii(byte[] b, int i, int to) {
        if (i + 1 >= to) {
            return 0;
        }
        int c0 = b[i] & 0xff;
        int c1 = b[i + 1] & 0xff;
        if (c0 < 0xC8 || c0 > 0xD7 || (c1 & 0xC0) != 0x80) {
            return 0;
        }
        return ASCII[(c0 - 0xC8) * 64 + (c1 & 0x3F)];
    }

    /**
     * 2 when {@code b[i]} starts a look-alike written next to an ASCII letter, digit, {@code _} or {@code -} (within
     * {@code [from, to)}), else 0.
     */
    public static int length(byte[] b, int i, int from, int to) {
        if (ascii(b, i, to) == 0) {
            return 0;
        }
        return i > from && tokenByte(b[i - 1]) || i + 2 < to && tokenByte(b[i + 2]) ? 2 : 0;
    }

    private static boolean tokenByte(byte c) {
        return c >= 0 && (Chars.alnum(c) || c == '_' || c == '-');
    }
}
