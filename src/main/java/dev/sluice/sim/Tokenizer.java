package dev.sluice.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic tokenizer: a text costs one token per started run of four UTF-8 bytes,
 * i.e. {@code ceil(utf8Bytes / 4)}. Real tokenizers average roughly four bytes per token on English and
 * code, so the numbers look realistic while staying predictable in tests.
 */
public final class Tokenizer {

    /** Bytes per token. */
    public static final int BYTES_PER_TOKEN = 4;

    private Tokenizer() {
    }

    /** Tokens of a text; 0 for null or empty. */
    public static int count(String text) {
        return text == null ? 0 : ofBytes(utf8Length(text));
    }

    /** Tokens of a byte length. */
    public static int ofBytes(long utf8Bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (utf8Bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN);
    }

    /**
     * Splits a text into pieces that each cost exactly one token: at most four UTF-8 bytes, never splitting
     * a code point. For ASCII the piece count equals {@link #count}; generated output is streamed piece by
     * piece so {@code output_tokens} always equals the number of pieces written.
     */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>(text.length() / BYTES_PER_TOKEN + 1);
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int width = utf8Width(codePoint);
            if (bytes + width > BYTES_PER_TOKEN) {
                pieces.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += width;
            i += Character.charCount(codePoint);
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }

    static int utf8Length(CharSequence text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    private static int utf8Width(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
