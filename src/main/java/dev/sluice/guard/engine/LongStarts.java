package dev.sluice.guard.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The second half of {@link KeywordStarts#exact}: where a four-byte start begins only long keywords, a run from it is
 * needed only where the text's first eight bytes are those of one of them.
 *
 * <p>Why: most runs of the automaton began at starts of long keywords in words that only share their first four bytes
 * ("impo" of "important instructions" in every Java import, "new " of "new instructions", "serv" of "service_account"):
 * on the benchmark's 679 KB of strings, 3,200 of 4,670 runs, some 40 ns each. Each is now one more hashed lookup of
 * the eight bytes, folded as the four are (each byte's 0x20 bit set).
 *
 * <p>Why the hits stay exactly those of a pass over every byte ({@link KeywordStarts} says why they are without this
 * test). A start {@code s} is passed over only when no keyword begins at {@code s}. Every keyword that does begin
 * somewhere is run from there or lies inside a run, as before, so no hit is lost. What can change is the row of a hit:
 * the full pass's state at an offset may be a keyword's beginning from the passed-over {@code s} (at most seven bytes
 * long, as no keyword's first eight bytes are there), longer than the state of a run that began after {@code s}. The
 * two rows differ only in keywords that end inside those seven bytes and begin after {@code s}; so a start is eligible
 * only when no keyword lies inside the first seven bytes of any of its keywords ({@link #overlaps}), and then neither
 * row ends a keyword and neither is recorded. KeywordStartsTest compares the hits, rows included, with a full pass.
 *
 * <p>Immutable and thread-safe once built.
 */
final class LongStarts {
    /** Bytes of the longer test. */
    static final int LENGTH = 8;
    private static final int HASH_BITS = 15;
    private static final long CASE = 0x2020202020202020L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Over the hashes of the four-byte starts: set where a start may begin a keyword shorter than eight bytes (always run). */
    private final long[] always = new long[1 << (HASH_BITS - 6)];
    /** Hashed set of the first eight bytes, folded, of the keywords whose start begins only long keywords. */
    private final long[] eight = new long[1 << (HASH_BITS - 6)];
    private int eligible;

    LongStarts(List<byte[]> keywords, List<byte[]> starts) {
        Map<Integer, Integer> shortest = new HashMap<>();
        for (byte[] k : keywords) {
            if (k.length >= KeywordStarts.WINDOW) {
                shortest.merge(fold4(k), k.length, Math::min);
            }
        }
        Set<Integer> overlapping = overlaps(keywords);
        Set<Integer> longOnly = new HashSet<>();
        shortest.forEach((start, length) -> {
            if (length >= LENGTH && !overlapping.contains(start)) {
                longOnly.add(start);
            }
        });
        for (byte[] s : starts) {
            if (s.length == KeywordStarts.WINDOW && !longOnly.contains(fold4(s))) {
                set(always, KeywordStarts.hash(fold4(s)));
            }
        }
        for (byte[] k : keywords) {
            if (k.length >= LENGTH && longOnly.contains(fold4(k))) {
                set(eight, hash(fold8(k, 0)));
            }
        }
        eligible = longOnly.size();
    }

    /** How many four-byte starts are tested on eight bytes (for tests). */
    int eligible() {
        return eligible;
    }

    /**
     * Bit 0 set when a run from the four-byte start at {@code b[i]} (whose folded bytes hash to {@code h4}) may find a
     * keyword beginning there: always for a start that begins a short keyword, else when the eight bytes from {@code i} are
     * a long keyword's (or share a hash with one); the other bits mean nothing. Reads eight bytes, or says yes when
     * {@code b} ends before. A bit, not a boolean, so that {@link KeywordStarts#exact} branches once.
     */
    long mayBegin(byte[] b, int i, int h4) {
        if (i + LENGTH > b.length) {
            return 1;
        }
        int h8 = hash((long) LONG.get(b, i) | CASE);
        return always[h4 >>> 6] >>> h4 | eight[h8 >>> 6] >>> h8;
    }

    /**
     * The starts (folded, as {@link #fold4}) of the long keywords inside whose first seven bytes another keyword lies
     * (a keyword of length m at offset j, 1 <= j, j + m <= 7): for them a passed-over run could change a hit's row.
     */
    private static Set<Integer> overlaps(List<byte[]> keywords) {
        Set<String> shortOnes = new HashSet<>();
        for (byte[] k : keywords) {
            if (k.length < LENGTH - 1) {
                shortOnes.add(folded(k, 0, k.length));
            }
        }
        Set<Integer> out = new HashSet<>();
        for (byte[] k : keywords) {
            if (k.length < LENGTH) {
                continue;
            }
            for (int j = 1; j < LENGTH - 1; j++) {
                for (int end = j + 1; end <= LENGTH - 1; end++) {
                    if (shortOnes.contains(folded(k, j, end))) {
                        out.add(fold4(k));
                    }
                }
            }
        }
        return out;
    }

    private static String folded(byte[] k, int from, int to) {
        byte[] f = new byte[to - from];
        for (int i = from; i < to; i++) {
            f[i - from] = (byte) (k[i] | 0x20);
        }
        return new String(f, StandardCharsets.ISO_8859_1);
    }

    /** The first four bytes of {@code k}, each with its 0x20 bit set, as {@link KeywordStarts#exact} reads them. */
    static int fold4(byte[] k) {
        int w = 0;
        for (int i = 0; i < KeywordStarts.WINDOW; i++) {
            w |= ((k[i] & 0xff) | 0x20) << (8 * i);
        }
        return w;
    }

    private static long fold8(byte[] k, int at) {
        long w = 0;
        for (int i = 0; i < LENGTH; i++) {
            w |= (long) ((k[at + i] & 0xff) | 0x20) << (8 * i);
        }
        return w;
    }

    private static int hash(long word) {
        return (int) ((word * 0x9E3779B97F4A7C15L) >>> (64 - HASH_BITS));
    }

    private static void set(long[] bits, int h) {
        bits[h >>> 6] |= 1L << h;
    }
}
