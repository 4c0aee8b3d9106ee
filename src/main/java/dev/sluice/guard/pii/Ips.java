package dev.sluice.guard.pii;

/**
 * Public IPv4 addresses: the private, loopback, link-local, shared, documentation, benchmarking and
 * multicast ranges say nothing about a person, and neither do the big public resolvers every config names.
 */
final class Ips {
    private Ips() {
    }

    static boolean publicV4(int[] v, int[] lengths) {
        for (int g = 0; g < 4; g++) {
            if (v[g] > 255 || lengths[g] > 3 || (lengths[g] > 1 && leadingZero(v[g], lengths[g]))) {
                return false;
            }
        }
        int a = v[0];
        int b = v[1];
        int c = v[2];
        int d = v[3];
        if (a == 0 || a == 10 || a == 127 || a >= 224 || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31)
                || (a == 192 && b == 168) || (a == 100 && b >= 64 && b <= 127) || (a == 198 && (b == 18 || b == 19))) {
            return false;
        }
        if ((a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
            return false;
        }
        return !resolver(a, b, c, d);
    }

    private static boolean leadingZero(int value, int length) {
        return String.valueOf(value).length() != length;
    }

    private static boolean resolver(int a, int b, int c, int d) {
        return (a == 8 && b == 8 && (c == 8 || c == 4) && (d == 8 || d == 4)) || (a == 1 && b == 1 && c == 1 && d == 1)
                || (a == 1 && b == 0 && c == 0 && d == 1) || (a == 9 && b == 9 && c == 9 && d == 9)
                || (a == 208 && b == 67 && (c == 222 || c == 220) && (d == 222 || d == 220));
    }
}
