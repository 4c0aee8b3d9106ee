package dev.sluice.cache.key;

/**
 * Rewrites raw JSON string bytes to the minimal escaping JSON allows, so <code>"&#92;u00e9"</code>,
 * {@code "\/"} and a surrogate-pair escape key the same as the plain characters. Necessary escapes
 * keep their short form ({@code \" \\ \b \f \n \r \t}), other control characters {@code &#92;u00xx} in
 * lower case; everything else becomes its UTF-8 bytes. A lone surrogate stays escaped (it has no
 * UTF-8 form).
 */
final class EscapeForm {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private EscapeForm() {
    }

    /** Normalizes {@code src[from, to)} into {@code out} (never longer than the input); returns the length. */
    static int normalize(byte[] src, int from, int to, byte[] out) {
        int n = 0;
        int p = from;
        while (p < to) {
            byte c = src[p];
            if (c != '\\' || p + 1 >= to) {
                out[n++] = c;
                p++;
                continue;
            }
            byte e = src[p + 1];
            if (e == '/') {
                out[n++] = '/';
                p += 2;
            } else if (e == 'u' && p + 6 <= to && hex4(src, p + 2) >= 0) {
                int cp = hex4(src, p + 2);
                int used = 6;
                if (Character.isHighSurrogate((char) cp) && p + 12 <= to && src[p + 6] == '\\' && src[p + 7] == 'u'
                        && hex4(src, p + 8) >= 0 && Character.isLowSurrogate((char) hex4(src, p + 8))) {
                    cp = Character.toCodePoint((char) cp, (char) hex4(src, p + 8));
                    used = 12;
                }
                n = codePoint(cp, out, n);
                p += used;
            } else {
                out[n++] = c;
                out[n++] = e;
                p += 2;
            }
        }
        return n;
    }

    private static int codePoint(int cp, byte[] out, int n) {
        if (cp < 0x20 || cp == '"' || cp == '\\') {
            byte shortForm = switch (cp) {
                case '"' -> '"';
                case '\\' -> '\\';
                case 0x08 -> 'b';
                case 0x09 -> 't';
                case 0x0A -> 'n';
                case 0x0C -> 'f';
                case 0x0D -> 'r';
                default -> 0;
            };
            out[n++] = '\\';
            if (shortForm != 0) {
                out[n++] = shortForm;
            } else {
                out[n++] = 'u';
                out[n++] = '0';
                out[n++] = '0';
                out[n++] = HEX[cp >> 4];
                out[n++] = HEX[cp & 0xF];
            }
        } else if (cp < 0x80) {
            out[n++] = (byte) cp;
        } else if (cp < 0x800) {
            out[n++] = (byte) (0xC0 | (cp >> 6));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            out[n++] = '\\';
            out[n++] = 'u';
            for (int shift = 12; shift >= 0; shift -= 4) {
                out[n++] = HEX[(cp >> shift) & 0xF];
            }
        } else if (cp < 0x10000) {
            out[n++] = (byte) (0xE0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[n++] = (byte) (0xF0 | (cp >> 18));
            out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }

    private static int hex4(byte[] src, int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(src[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
