package dev.sluice.cache.semantic.embed;

/**
 * A text's verification vector and the windows it was composed from: per window its content hash
 * ({@code hashes[2i]}, {@code hashes[2i + 1]}), its own unit vector, the length of its pooled sum
 * ({@code norms[i]}: the window's unit vector times it is what the text's vector adds up) and its
 * tokens ({@code lengths[i]}, [CLS] and [SEP] not counted). A text of one window has {@code vector}
 * equal to that window's; {@code hashes} and {@code lengths} are null when the verifier does not window.
 */
public record WindowedVector(float[] vector, long[] hashes, float[][] windows, float[] norms, int[] lengths) {
    /** A vector from a verifier that does not window: one window, no hash. */
    public static WindowedVector single(float[] vector) {
        return new WindowedVector(vector, null, new float[][] {vector}, new float[] {1f}, null);
    }

    public int count() {
        return windows.length;
    }

    /** True when window {@code i} has the content hash (hi, lo). */
    public boolean hasHash(long hi, long lo) {
        if (hashes == null) {
            return false;
        }
        for (int i = 0; i < hashes.length; i += 2) {
            if (hashes[i] == hi && hashes[i + 1] == lo) {
                return true;
            }
        }
        return false;
    }
}
