package dev.sluice.guard.incremental;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Digests of a body's message prefixes: entry {@code j} is the 128-bit digest of bytes {@code [0, end of
 * messages[j])}, all computed in one pass. Two requests of one conversation share their first k messages
 * byte for byte, so they share the first k digests: that is how the scanner knows, without comparing
 * bodies, which part it has seen. The last digest is also a sound key for an exact-prefix response cache,
 * so the gateway computes this once per request and hands it to both.
 */
public final class PrefixHashes {
    /** Random per process: digests are never compared across processes. */
    private static final long SEED = new SecureRandom().nextLong();

    private final long[] hi;
    private final long[] lo;
    /** Per member of {@link MessageSpans#MEMBERS}: value start, and the digest of the value, or start -1. */
    private final int[] memberAt = {-1, -1};
    private final int[] memberEnd = {-1, -1};
    private final long[] memberHi = new long[2];
    private final long[] memberLo = new long[2];

    private PrefixHashes(long[] hi, long[] lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** One pass over {@code body} up to the end of the last message. */
    public static PrefixHashes compute(byte[] body, MessageSpans spans) {
        Objects.requireNonNull(body, "body");
        int n = spans.count();
        long[] hi = new long[n];
        long[] lo = new long[n];
        Hash128 h = new Hash128(SEED, 0);
        for (int j = 0; j < n; j++) {
            long[] d = h.digest(body, spans.end(j));
            hi[j] = d[0];
            lo[j] = d[1];
        }
        PrefixHashes p = new PrefixHashes(hi, lo);
        // The system prompt and tools too: an exact-prefix cache keys on them, and the scanner skips them when known.
        for (int m = 0; m < MessageSpans.MEMBERS.length; m++) {
            if (spans.memberStart(m) >= 0) {
                long[] d = of(body, spans.memberStart(m), spans.memberEnd(m));
                p.memberAt[m] = spans.memberStart(m);
                p.memberEnd[m] = spans.memberEnd(m);
                p.memberHi[m] = d[0];
                p.memberLo[m] = d[1];
            }
        }
        return p;
    }

    /**
     * The digest of the named member's value starting at {@code valueStart}, when it was computed:
     * {@code {hi, lo, end}}, else null.
     */
    public long[] member(String name, int valueStart) {
        for (int m = 0; m < MessageSpans.MEMBERS.length; m++) {
            if (MessageSpans.MEMBERS[m].equals(name) && memberAt[m] == valueStart && valueStart >= 0) {
                return new long[] {memberHi[m], memberLo[m], memberEnd[m]};
            }
        }
        return null;
    }

    /** Digests computed elsewhere (the gateway's own prefix hash), one pair per message. */
    public static PrefixHashes of(long[] hi, long[] lo) {
        if (hi.length != lo.length) {
            throw new IllegalArgumentException("prefix hashes: " + hi.length + " and " + lo.length + " halves (expected: as many)");
        }
        return new PrefixHashes(hi.clone(), lo.clone());
    }

    /** The digest of a whole byte range, with the same function (for members such as the system prompt). */
    public static long[] of(byte[] body, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, body.length);
        return new Hash128(SEED, from).digest(body, to - from);
    }

    public int count() {
        return hi.length;
    }

    public long hi(int j) {
        return hi[j];
    }

    public long lo(int j) {
        return lo[j];
    }
}
