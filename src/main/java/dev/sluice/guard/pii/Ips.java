package dev.sluice.guard.pii;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Text;

/**
 * Public IP addresses. IPv4: the private, loopback, link-local, shared, documentation, benchmarking and
 * multicast ranges say nothing about a person, and neither do the big public resolvers every config names.
 * IPv6: global unicast only (2000::/3, which is where a written address starts with 2 or 3), without the
 * documentation prefix 2001:db8::/32 and the resolvers.
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

    /**
     * End of a public IPv6 address starting at {@code start} (its first group is four hex digits, 2000-3fff),
     * or -1. Groups of one to four hex digits, eight of them or fewer with one "::"; an IPv4 tail is not read.
     */
    static int v6End(Text t, int start) {
        int i = start;
        int groups = 0;
        boolean compressed = false;
        int firstLength = -1;
        int n = t.length();
        while (i < n) {
            int g = i;
            while (i < n && i - g < 5 && Chars.hex(t.at(i))) {
                i++;
            }
            int len = i - g;
            if (len > 4) {
                return -1;
            }
            if (len > 0) {
                groups++;
                if (firstLength < 0) {
                    firstLength = len;
                }
            }
            if (i + 1 < n && t.at(i) == ':' && t.at(i + 1) == ':') {
                if (compressed) {
                    return -1;
                }
                compressed = true;
                i += 2;
                if (i >= n || !Chars.hex(t.at(i))) {
                    break;
                }
            } else if (i < n && t.at(i) == ':' && len > 0 && i + 1 < n && Chars.hex(t.at(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (firstLength != 4 || (compressed ? groups > 7 || groups < 2 : groups != 8)) {
            return -1;
        }
        if (i < n && (Chars.alnum(t.at(i)) || t.at(i) == ':' || t.at(i) == '.' || t.at(i) == '_')) {
            return -1;
        }
        String text = new String(t.bytes(), start, i - start, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        if (text.startsWith("2001:db8:") || text.startsWith("2001:0db8:") || text.startsWith("2001:4860:4860:")
                || text.startsWith("2606:4700:4700:")) {
            return -1;
        }
        return i;
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
