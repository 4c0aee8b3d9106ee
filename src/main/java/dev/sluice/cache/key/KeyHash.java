package dev.sluice.cache.key;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A streaming 128-bit hash the keyer feeds the canonical request into. */
public interface KeyHash {
    void update(byte value);

    void update(byte[] src, int off, int len);

    /** The low {@code n} bytes of {@code bytes} (0..8), lowest first: several small pieces in one call. */
    default void update(long bytes, int n) {
        for (int i = 0; i < n; i++) {
            update((byte) (bytes >>> (i << 3)));
        }
    }

    /** An independent copy of the state so far. */
    KeyHash copy();

    /** Writes the 16-byte result; the state must not be used afterwards. */
    void finish(byte[] out, int off);

    /** SHA-256 truncated to 128 bits: the standard primitive, about 4× slower here than {@link Hash128}. */
    static KeyHash sha256() {
        try {
            return new Sha(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The SHA-256 flavour. */
    final class Sha implements KeyHash {
        private final MessageDigest digest;

        private Sha(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void update(byte value) {
            digest.update(value);
        }

        @Override
        public void update(byte[] src, int off, int len) {
            digest.update(src, off, len);
        }

        @Override
        public KeyHash copy() {
            try {
                return new Sha((MessageDigest) digest.clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests clone in every JDK", e);
            }
        }

        @Override
        public void finish(byte[] out, int off) {
            System.arraycopy(digest.digest(), 0, out, off, 16);
        }
    }
}
