package dev.sluice.guard.detect;

/**
 * Shannon entropy in bits per byte of a short span: the generic rules use it to tell a random credential
 * ({@code 4.5+} for 40 base64 bytes) from a word, a path or an expression ({@code 2-3}).
 */
public final class Entropy {
    private Entropy() {
    }

    public static double bits(Text t, int from, int to) {
        return bits(t.bytes(), from, to);
    }

    public static double bits(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return 0;
        }
        int[] counts = new int[256];
        for (int i = from; i < to; i++) {
            counts[b[i] & 0xff]++;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }
}
