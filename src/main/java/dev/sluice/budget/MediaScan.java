package dev.sluice.budget;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Counts image and document blocks in a request body without parsing it: occurrences of the JSON strings
 * {@code "image"} and {@code "document"} (the {@code type} of such blocks). Images and PDFs are billed by pixels and
 * pages, not by the bytes that carry them, so the input bound adds an allowance per block. A coding agent's body is
 * tens of kilobytes between such blocks, so the search compares a whole SIMD register per step for a quote followed
 * by {@code i} or {@code d} and checks only those candidates; a string that merely starts with those letters costs
 * one comparison. Counting a word that was not a block errs on the safe side (a larger bound).
 */
final class MediaScan {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final byte[] IMAGE = {'"', 'i', 'm', 'a', 'g', 'e', '"'};
    private static final byte[] DOCUMENT = {'"', 'd', 'o', 'c', 'u', 'm', 'e', 'n', 't', '"'};

    /** Blocks found. */
    record Media(int images, int documents) {
        static final Media NONE = new Media(0, 0);
    }

    private MediaScan() {
    }

    static Media count(byte[] b, int length) {
        int images = 0;
        int documents = 0;
        int pos = 0;
        int last = length - IMAGE.length;
        while (pos <= last) {
            pos = VECTOR ? Simd.next(b, pos, last) : next(b, pos, last);
            if (pos > last) {
                break;
            }
            if (at(b, pos, length, IMAGE)) {
                images++;
            } else if (at(b, pos, length, DOCUMENT)) {
                documents++;
            }
            pos++;
        }
        return images == 0 && documents == 0 ? Media.NONE : new Media(images, documents);
    }

    /** The next quote followed by 'i' or 'd' at or after {@code from}, at most {@code last}; {@code last + 1} if none. */
    private static int next(byte[] b, int from, int last) {
        for (int i = from; i <= last; i++) {
            if (b[i] == '"' && (b[i + 1] == 'i' || b[i + 1] == 'd')) {
                return i;
            }
        }
        return last + 1;
    }

    private static boolean at(byte[] b, int pos, int length, byte[] word) {
        if (pos + word.length > length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[pos + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /** The SIMD search, loaded only when the vector module is present. */
    private static final class Simd {
        private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
        private static final int WIDTH = SPECIES.length();

        static int next(byte[] b, int from, int last) {
            int pos = from;
            // Two loads one byte apart: lane k of the second holds the byte after lane k of the first.
            while (pos + WIDTH + 1 <= last + 1 && pos + WIDTH + 1 <= b.length) {
                ByteVector here = ByteVector.fromArray(SPECIES, b, pos);
                ByteVector after = ByteVector.fromArray(SPECIES, b, pos + 1);
                VectorMask<Byte> hit = here.eq((byte) '"').and(after.eq((byte) 'i').or(after.eq((byte) 'd')));
                long bits = hit.toLong();
                if (bits != 0) {
                    return pos + Long.numberOfTrailingZeros(bits);
                }
                pos += WIDTH;
            }
            return MediaScan.next(b, pos, last);
        }
    }
}
