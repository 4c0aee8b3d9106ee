package dev.sluice.guard.detect;

import dev.sluice.guard.Source;
import java.util.Arrays;

/**
 * A text read again without its disguises ({@link Disguises}): invisible characters dropped, fullwidth forms read as
 * the ASCII they stand for, so {@code gh<U+200B>p_...} or {@code ｇｈｐ＿...} is the token a detector knows; and, in the
 * same pass, Cyrillic and Greek look-alikes next to a token's letters read as the letter they imitate ({@link Confusables})
 * and percent escapes as the printable ASCII they encode ({@code ghp%5F...}, {@code user:pass%40host}). The result
 * is a {@link Text} like any other, whose offsets map back to the body's raw bytes: each dropped or replaced character
 * is one more entry of its escape table (decoded length 0 or 1, raw length the character's bytes, or its JSON escape's),
 * beside the entries of the JSON escapes it keeps. So a finding there covers the disguised bytes in the body, and a
 * redaction replaces them with the rest of the secret.
 *
 * <p>Not thread-safe: one per scanning thread, and the text it returns is valid until its next call.
 */
public final class Undisguise {
    private final Text text = new Text();
    private byte[] out = new byte[1024];
    private int[] raw = new int[16];
    private int[] dec = new int[16];
    private int[] rawLen = new int[16];
    private int[] decLen = new int[16];
    private int count;
    private boolean tooMany;

    /**
     * The most table entries one text may take (dropped or replaced characters, and the JSON escapes kept): 16 bytes
     * each, so 4 MB. Ordinary text has a few; a string of nothing but zero-width characters is not read again.
     */
    public static final int MAX_ENTRIES = 1 << 18;

    /**
     * The text of {@code src[from, to)} without its disguises, or null when it holds none or too many ({@link #tooMany}). Its offset 0 is {@code src}'s
     * offset {@code from} (pulled back to the start of an escape that {@code from} falls inside).
     */
    public Text of(Text src, int from, int to) {
        byte[] b = src.bytes();
        int k = src.escFrom;
        while (k < src.escTo && src.escDecoded[k] + src.escLength[k] <= from) {
            k++;
        }
        if (k < src.escTo && src.escDecoded[k] < from) {
            from = src.escDecoded[k];
        }
        if (out.length < to - from) {
            out = new byte[Math.max(to - from, out.length * 2)];
        }
        count = 0;
        tooMany = false;
        int n = 0;
        boolean changed = false;
        int i = from;
        while (i < to && !tooMany) {
            int nextEscape = k < src.escTo ? src.escDecoded[k] : Integer.MAX_VALUE;
            if (i == nextEscape) {
                // A JSON escape: one entry whatever it decodes to; a disguising character written as one (\u200b) is
                // dropped or read as ASCII, and so is a look-alike written as one (\u0440) next to a token's letters.
                int el = src.escLength[k];
                int dl = Disguises.length(b, i, i + el);
                int look = el == 2 && Confusables.length(b, i, from, to) == 2 ? Confusables.ascii(b, i, i + el) : 0;
                if (dl > 0 && dl == el) {
                    changed = true;
                    n = fold(n, src.escRaw[k], src.escRawLength[k], Disguises.ascii(b, i));
                } else if (look != 0) {
                    changed = true;
                    n = fold(n, src.escRaw[k], src.escRawLength[k], look);
                } else {
                    entry(src.escRaw[k], n, src.escRawLength[k], el);
                    System.arraycopy(b, i, out, n, el);
                    n += el;
                }
                i += el;
                k++;
                continue;
            }
            int plainTo = Math.min(nextEscape, to);
            int dl = b[i] < 0 ? Disguises.length(b, i, plainTo) : 0;
            if (dl > 0) {
                changed = true;
                n = fold(n, src.rawOffset(i), dl, Disguises.ascii(b, i));
                i += dl;
            } else if (b[i] < 0 && i + 2 <= plainTo && Confusables.length(b, i, from, to) == 2) {
                changed = true;
                n = fold(n, src.rawOffset(i), 2, Confusables.ascii(b, i, plainTo));
                i += 2;
            } else if (b[i] == '%' && percent(b, i, plainTo) >= 0) {
                // A percent escape (a copied URL, a curl command, a form body) read as the character it encodes.
                changed = true;
                n = fold(n, src.rawOffset(i), 3, percent(b, i, plainTo));
                i += 3;
            } else {
                out[n++] = b[i++];
            }
        }
        if (!changed || tooMany) {
            return null;
        }
        Source who = src.source();
        text.load(src.id(), out, 0, n, src.rawOffset(from), src.rawEnd(), raw, dec, rawLen, decLen, 0, count, s -> who, src.isKey());
        return text;
    }

    /** Writes what a folded character reads as ({@code ascii}, or nothing when negative) and its table entry. */
    private int fold(int n, int rawAt, int rawLength, int ascii) {
        entry(rawAt, n, rawLength, ascii < 0 ? 0 : 1);
        if (ascii >= 0) {
            out[n++] = (byte) ascii;
        }
        return n;
    }

    /** The printable ASCII character the percent escape at {@code b[i]} encodes ({@code %5F}), or -1 when there is none. */
    public static int percent(byte[] b, int i, int to) {
        if (i + 3 > to || b[i] != '%') {
            return -1;
        }
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        int v = hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
        return v >= 0x20 && v <= 0x7E ? v : -1;
    }

    /** True when the last {@link #of} gave up: the text needed more than {@value #MAX_ENTRIES} entries. */
    public boolean tooMany() {
        return tooMany;
    }

    private void entry(int rawAt, int decodedAt, int rawLength, int decodedLength) {
        if (count == MAX_ENTRIES) {
            tooMany = true;
            return;
        }
        if (count == raw.length) {
            int m = count * 2;
            raw = Arrays.copyOf(raw, m);
            dec = Arrays.copyOf(dec, m);
            rawLen = Arrays.copyOf(rawLen, m);
            decLen = Arrays.copyOf(decLen, m);
        }
        raw[count] = rawAt;
        dec[count] = decodedAt;
        rawLen[count] = rawLength;
        decLen[count] = decodedLength;
        count++;
    }
}
