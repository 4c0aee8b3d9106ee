package dev.sluice.guard.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The keyword automaton run only where a keyword may start, instead of over every byte.
 *
 * <p>Why: stepping the automaton is a chain of dependent loads, one per byte, and it was the largest part of a
 * whole-body scan. In a coding agent's traffic, the first four bytes of a keyword ("toke", "secr", "igno", "://" of
 * a three-byte one) are rare: on the 700 KB benchmark body at 0.7% of offsets.
 *
 * <p>How, in three steps:
 * <ol>
 *   <li><b>Candidates, a register at a time</b> ({@link VectorKeywordStarts}). The keywords' distinct starts (their
 *       first four bytes, all three of a three-byte keyword, folded to lower case as the automaton folds) are shared
 *       out among eight buckets. Four tables give, for each byte value, the buckets (one bit each) holding a start
 *       with that byte first, second, third, fourth (every byte, fourth, for a three-byte start). An offset is a
 *       candidate when the four bytes from it have a bucket in common: every real start is one, and so are other
 *       offsets (two starts in one bucket mix their bytes): about 3.5% of offsets. The SIMD search also looks up each
 *       pair of neighbouring bytes, hashed, in three more tables of the same buckets ({@link #pairs}): then 0.9%.</li>
 *   <li><b>The exact test.</b> At a candidate, the four bytes (three for a three-byte start) are looked up in a hashed
 *       bit set of the starts ({@link #exact}), which passes all real starts and few others; for a start that begins
 *       only keywords of eight bytes or more, the eight bytes too ({@link LongStarts}).</li>
 *   <li><b>Runs.</b> From an offset that passes, the automaton runs from its start state and records every hit, until,
 *       after four bytes at least, its state matches at most three bytes and ends no keyword; the search resumes where
 *       that state's match begins.</li>
 * </ol>
 *
 * <p>Why the hits are exactly those of a pass over every byte. At each offset, the state of a full pass is the longest
 * suffix of the text that begins a keyword, with a hit when a keyword ends there. If that suffix is four bytes or
 * longer, or is a whole three-byte keyword, it begins at a start, so between runs the full pass is at most three bytes
 * deep and has no hit. A run started at start c agrees with the full pass from c + 3 on: a longer suffix would begin
 * before c, past the previous run's resume point, at an offset that is no start, so it is at most three bytes long and
 * no keyword; before c + 3 neither has a hit (every keyword is three bytes or more; otherwise this class is not used).
 * PrefilterTest compares the hits with a full pass.
 *
 * <p>This class holds the tables, the exact test, the runs, and a byte-at-a-time search for the tail of a buffer.
 * Immutable and thread-safe once built.
 */
final class KeywordStarts {
    /** Bytes of a start. */
    static final int WINDOW = 4;
    /** Buckets: one bit each of a byte. */
    static final int BUCKETS = 8;
    /** Bits of the hashed sets of starts: 4 KB each, so they stay in the first-level cache. */
    private static final int HASH_BITS = 15;
    private static final int CASE = 0x20202020;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Slots of the table of first steps: 4 KB for each of its two arrays, some 150 starts in 1,024 slots. */
    private static final int SHORTCUT_BITS = 10;

    /** For each byte value and each byte of a start (first, second, ...): the buckets holding a start with it there. */
    final byte[][] tables = new byte[WINDOW][256];
    /**
     * For each pair of neighbouring bytes of a start (first and second, second and third, third and fourth), by their
     * {@link #pairHash}: the buckets holding a start with such a pair there (every bucket of a three-byte start, third
     * and fourth). Only the SIMD search uses them ({@link VectorKeywordStarts}).
     */
    final byte[][] pairs = new byte[WINDOW - 1][128];
    /** Hashed sets of the four-byte starts and of the three-byte ones, each byte's 0x20 bit set. */
    private final long[] four = new long[1 << (HASH_BITS - 6)];
    private final long[] three = new long[1 << (HASH_BITS - 6)];
    private final int[] table;
    private final byte[] cls;
    private final int firstDeep;
    private final int firstMatch;
    /**
     * The first four steps of a run, looked up instead of stepped ({@link #run}): for the classes of each four-byte start
     * (packed a byte each, the key), the row after those four steps. Open addressing, a key of 0 marks a free slot (a
     * start's bytes all occur in keywords, so none has class 0).
     */
    private final int[] shortcutKeys = new int[1 << SHORTCUT_BITS];
    private final int[] shortcutRows = new int[1 << SHORTCUT_BITS];
    private int shortcuts;
    private final LongStarts longStarts;

    private KeywordStarts(KeywordAutomaton automaton) {
        table = automaton.table();
        cls = automaton.classes();
        firstDeep = automaton.firstDeep();
        firstMatch = automaton.firstMatch();
        longStarts = new LongStarts(automaton.keywords(), automaton.starts());
        List<List<byte[]>> buckets = StartBuckets.assign(automaton.starts());
        for (int b = 0; b < buckets.size(); b++) {
            for (byte[] start : buckets.get(b)) {
                for (int k = 0; k < WINDOW; k++) {
                    if (k < start.length) {
                        mark(tables[k], start[k], b);
                    } else {
                        for (int v = 0; v < 256; v++) {
                            tables[k][v] |= (byte) (1 << b);
                        }
                    }
                }
                for (int k = 0; k + 1 < WINDOW; k++) {
                    if (k + 1 < start.length) {
                        pairs[k][pairHash(start[k], start[k + 1])] |= (byte) (1 << b);
                    } else {
                        for (int v = 0; v < 128; v++) {
                            pairs[k][v] |= (byte) (1 << b);
                        }
                    }
                }
                int word = 0;
                for (int k = 0; k < start.length; k++) {
                    word |= ((start[k] & 0xff) | 0x20) << (8 * k);
                }
                long[] set = start.length == WINDOW ? four : three;
                int h = hash(word);
                set[h >>> 6] |= 1L << h;
                if (start.length == WINDOW) {
                    addShortcut(start);
                }
            }
        }
    }

    /**
     * Adds the row after the four bytes of {@code start} from the start state, unless a step ends a keyword (then the run
     * steps as usual and records it), the start is there already or the table is half full.
     */
    private void addShortcut(byte[] start) {
        int key = 0;
        int r = 0;
        for (int k = 0; k < WINDOW; k++) {
            int c = cls[start[k] & 0xff];
            key |= c << (8 * k);
            r = table[r + c];
            if (r >= firstMatch) {
                return;
            }
        }
        int mask = shortcutKeys.length - 1;
        int h = shortcutHash(key);
        while (shortcutKeys[h] != 0 && shortcutKeys[h] != key) {
            h = (h + 1) & mask;
        }
        // At most half full, so a lookup of a class sequence that is no start ends at a free slot soon. Past that (an
        // operator's custom rules adding hundreds of starts) the other starts simply step as before.
        if (shortcutKeys[h] == 0 && shortcuts < shortcutKeys.length / 2) {
            shortcuts++;
            shortcutKeys[h] = key;
            shortcutRows[h] = r;
        }
    }

    private static int shortcutHash(int key) {
        return (key * 0x9E3779B1) >>> (32 - SHORTCUT_BITS);
    }

    /** How many four-byte starts have their first steps in the table (for tests). */
    int shortcuts() {
        return shortcuts;
    }

    /** The starts of {@code automaton}'s keywords, or null when one is shorter than three bytes (then the full pass is used). */
    static KeywordStarts of(KeywordAutomaton automaton) {
        return automaton.starts().isEmpty() ? null : new KeywordStarts(automaton);
    }

    /** Puts {@code value} (a folded byte) in bucket {@code b} of {@code table}, in both cases for a letter. */
    private static void mark(byte[] table, byte value, int b) {
        int v = value & 0xff;
        table[v] |= (byte) (1 << b);
        if (v >= 'a' && v <= 'z') {
            table[v - 32] |= (byte) (1 << b);
        }
    }

    /**
     * The seven-bit hash of two neighbouring bytes that {@link #pairs} is indexed by, each byte's 0x20 bit set first (so
     * both cases of a letter hash alike): the first XOR twice the second, its low seven bits. Two SIMD additions and an
     * XOR per register, and a 128-entry lookup is one instruction.
     */
    static int pairHash(byte first, byte second) {
        return ((first | 0x20) ^ ((second | 0x20) << 1)) & 0x7f;
    }

    static int hash(int word) {
        return (word * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /** True when the bucket tables let a start be at {@code b[i, i + 4)}. */
    boolean candidate(byte[] b, int i) {
        int m = tables[0][b[i] & 0xff] & tables[1][b[i + 1] & 0xff] & tables[2][b[i + 2] & 0xff] & tables[3][b[i + 3] & 0xff];
        return m != 0;
    }

    /**
     * True when a keyword may begin at {@code b[i]}: when the hashed sets hold the four bytes from there as a start (or
     * the three as a three-byte start) and, for a start of long keywords only, the eight bytes as a keyword's first
     * ({@link LongStarts}). Always true where a keyword begins. Each byte's 0x20 bit is set before hashing, which folds
     * letters as the automaton does and merges some other pairs (never loses a start). {@code b} must have room for
     * three bytes past the four (else the eight-byte test is left out).
     */
    boolean exact(byte[] b, int i) {
        int word = (int) INT.get(b, i) | CASE;
        int h4 = hash(word);
        int h3 = hash(word & 0xFFFFFF);
        // One branch for the three lookups (each of which went either way at a candidate): their bits combined.
        return ((three[h3 >>> 6] >>> h3 | four[h4 >>> 6] >>> h4 & longStarts.mayBegin(b, i, h4)) & 1) != 0;
    }

    /**
     * Runs the automaton from its start state at {@code c} of {@code b[0, n)}, adding (row, offset of the hit's last byte)
     * pairs to {@code out}, and returns the offset the search for starts resumes at: where the match of the state it
     * stopped in begins, or, for a state of one to three bytes, three bytes back (re-reading a byte or two is harmless:
     * no keyword fits in them).
     */
    int run(byte[] b, int c, int n, IntArray out) {
        final int[] t = table;
        final byte[] k = cls;
        int r = 0;
        int x = c;
        if (c + WINDOW <= n) {
            // Most runs begin at a real start and take six or seven steps, each a load from a table too large for the
            // first-level cache that waits on the one before; the first four are one lookup of the four classes (loaded
            // independently) when they are a known start. The automaton depends on the classes only, so this row is the
            // one the four steps reach, and none of them ended a keyword (such starts are not in the table).
            int key = k[b[c] & 0xff] | k[b[c + 1] & 0xff] << 8 | k[b[c + 2] & 0xff] << 16 | k[b[c + 3] & 0xff] << 24;
            int h = shortcutHash(key);
            int mask = shortcutKeys.length - 1;
            int found;
            while ((found = shortcutKeys[h]) != 0 && found != key) {
                h = (h + 1) & mask;
            }
            if (found != 0) {
                r = shortcutRows[h];
                x = c + WINDOW;
                if (r < firstDeep) {
                    return r == 0 ? x : x - (WINDOW - 1);
                }
            }
        }
        while (x < n) {
            r = t[r + k[b[x] & 0xff]];
            x++;
            if (r >= firstDeep) {
                if (r >= firstMatch) {
                    Prefilter.record(out, r, x - 1);
                }
            } else if (x - c >= WINDOW) {
                return r == 0 ? x : x - (WINDOW - 1);
            }
        }
        return n;
    }

    /**
     * The search a byte at a time, from {@code from} to the end of {@code b[0, n)} (the tail the SIMD search leaves).
     * {@code b} must have three bytes of room past {@code n}: a start of three bytes is tested with the byte after it.
     */
    void scan(byte[] b, int from, int n, IntArray out) {
        int i = from;
        while (i + 2 < n) {
            i = candidate(b, i) && exact(b, i) ? run(b, i, n, out) : i + 1;
        }
    }
}
