package dev.sluice.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids in Anthropic's style: {@code req_} + 20 base62 characters. The first 8 encode the
 * time in milliseconds and the other 12 are random (71 bits), so ids are unique without
 * coordination and sort by time. Sorting by time matters more than it looks: the ledger's primary
 * key starts with the request id, and time-ordered keys make every insert land on the last page
 * of that index instead of a random one, which is most of what a database write costs.
 */
public final class RequestIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int TIME_CHARS = 8;
    private static final int RANDOM_CHARS = 12;

    private RequestIds() {
    }

    public static String next() {
        return next(System.currentTimeMillis());
    }

    static String next(long epochMillis) {
        char[] out = new char[4 + TIME_CHARS + RANDOM_CHARS];
        "req_".getChars(0, 4, out, 0);
        long t = epochMillis;
        for (int i = 4 + TIME_CHARS - 1; i >= 4; i--) {
            out[i] = ALPHABET[(int) (t % 62)];
            t /= 62;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 4 + TIME_CHARS; i < out.length; i++) {
            out[i] = ALPHABET[r.nextInt(62)];
        }
        return new String(out);
    }
}
