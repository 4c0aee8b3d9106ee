package dev.sluice.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Making key secrets and ids, and digesting secrets: the only place that sees a secret's characters. */
public final class KeyMaterial {
    /** Every virtual key starts with this, so a resolver can skip other credentials without hashing them. */
    public static final String PREFIX = "sk-sluice-";
    /** 43 base62 characters carry 256 bits: {@code 62^43 > 2^256}. */
    static final int SECRET_CHARS = 43;
    /** Random characters kept in the display prefix: enough to tell keys apart, far too few to guess the rest. */
    static final int SHOWN_CHARS = 6;

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    /** A new key: {@code sk-sluice-} and 43 base62 characters from {@link SecureRandom}. */
    public static String newSecret() {
        return PREFIX + base62(SECRET_CHARS);
    }

    /** Key ids are not secret; they are random only so they say nothing about how many keys exist. */
    static String newKeyId() {
        return "key_" + base62(16);
    }

    /** What listings show: {@code sk-sluice-AbC1x9…}. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(secret.length(), PREFIX.length() + SHOWN_CHARS)) + "…";
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String base62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[RANDOM.nextInt(BASE62.length)]; // nextInt(bound) is unbiased
        }
        return new String(out);
    }
}
