package dev.sluice.cache.key;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The secret that keys request hashes. Every replica sharing one store must use the same secret (the
 * Redis store keeps it in Redis; the in-process store makes a random one per process), and it never
 * leaves the gateway: whoever knows it could aim two requests at one key.
 */
public final class KeySecret {
    /** Bytes of a seed. */
    public static final int SEED_BYTES = 32;

    private final byte[] seed;
    private final long[] words = new long[4];

    private KeySecret(byte[] seed) {
        this.seed = seed.clone();
        try {
            ByteBuffer derived = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(seed));
            for (int i = 0; i < 4; i++) {
                words[i] = derived.getLong();
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static KeySecret of(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length < 16) {
            throw new IllegalArgumentException("cache key seed: " + seed.length + " bytes (expected: at least 16)");
        }
        return new KeySecret(seed);
    }

    public static KeySecret random() {
        byte[] seed = new byte[SEED_BYTES];
        new SecureRandom().nextBytes(seed);
        return new KeySecret(seed);
    }

    /** A fixed, public secret: only for hashes whose collisions cost nothing (prompt-prefix statistics, tests). */
    public static KeySecret fixed(String label) {
        return new KeySecret(("sluice-public:" + label).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public byte[] seed() {
        return seed.clone();
    }

    public Hash128 newHash() {
        return new Hash128(words[0], words[1], words[2], words[3]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeySecret k && Arrays.equals(k.seed, seed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seed);
    }

    @Override
    public String toString() {
        return "KeySecret[hidden]";
    }
}
