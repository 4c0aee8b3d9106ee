package dev.sluice.guard.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Base64 that holds text: what a rule decodes before judging a value written in base64 (a Basic auth pair, a
 * Kubernetes Secret's data). Binary content (a keystore, a DER certificate) is not text, and no rule here judges it.
 */
final class Base64Text {
    private Base64Text() {
    }

    /**
     * The text {@code b[from, to)} encodes (padding added when it was left off), or null when it is not base64 or
     * holds a control character other than a line break or tab ({@code lineBreaks} false: none at all).
     */
    static String decode(byte[] b, int from, int to, boolean lineBreaks) {
        int n = to - from;
        byte[] encoded = Arrays.copyOfRange(b, from, from + n + (4 - n % 4) % 4);
        Arrays.fill(encoded, n, encoded.length, (byte) '=');
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (byte x : raw) {
            int c = x & 0xff;
            boolean breakOrTab = c == '\n' || c == '\r' || c == '\t';
            if (c < 0x20 && !(lineBreaks && breakOrTab) || c == 0x7f) {
                return null;
            }
        }
        return new String(raw, StandardCharsets.UTF_8);
    }
}
