package dev.sluice.accept;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids in Anthropic's style ({@code req_} + base62), 119 random bits: unique without coordination. */
public final class RequestIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[4 + 20];
        "req_".getChars(0, 4, out, 0);
        for (int i = 4; i < out.length; i++) {
            out[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
