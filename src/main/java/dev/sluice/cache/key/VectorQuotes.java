package dev.sluice.cache.key;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD half of {@link JsonTape}'s string scan, in its own class so it is loaded only when the
 * {@code jdk.incubator.vector} module is present (the launcher and the build pass it). One compare finds the quotes
 * of a whole register: 32 or 64 bytes a step where the SWAR fallback takes 8.
 */
final class VectorQuotes {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    /** Bytes per step; at most 64, so one {@code long} holds a step's mask. */
    static final int WIDTH = Math.min(SPECIES.length(), 64);

    private VectorQuotes() {
    }

    /** Bit {@code i} set where {@code src[at + i]} is a quote, for {@code i < WIDTH}; needs {@code at + WIDTH <= src.length}. */
    static long quotes(byte[] src, int at) {
        return ByteVector.fromArray(SPECIES, src, at).eq((byte) '"').toLong();
    }
}
