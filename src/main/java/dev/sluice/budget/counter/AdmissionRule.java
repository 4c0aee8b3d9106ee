package dev.sluice.budget.counter;

import java.util.List;

/**
 * The admission rule of the package documentation, shared by the memory store and mirrored line for line by the
 * Lua script, so both stores decide alike.
 */
final class AdmissionRule {
    private AdmissionRule() {
    }

    /** Null when the line admits, else why not. */
    static Refusal check(long cap, long s, long r, long d) {
        if (cap < 0) {
            return null;
        }
        if (s >= cap) {
            return Refusal.EXHAUSTED;
        }
        return s + r + d >= cap ? Refusal.IN_FLIGHT : null;
    }

    /** {reserved, slack} to add for a request with estimate {@code e} and worst case {@code w}. */
    static long[] charge(long cap, long s, long r, long d, long e, long w) {
        if (cap < 0 || s + r + d + w <= cap) {
            return new long[] {e, w - e};
        }
        return new long[] {w, 0};
    }

    /**
     * For each line, the index of the alternative chosen in its group; -1 entries for alternatives not taken.
     * Returns null and fills {@code refusal} when a group has no admitting line.
     */
    static int[] choose(List<LineSpec> lines, long[][] srd, Refusal[] refusal, int[] refusedAt) {
        int[] chosen = new int[lines.size()];
        java.util.Arrays.fill(chosen, -1);
        int i = 0;
        while (i < lines.size()) {
            int group = lines.get(i).group();
            int j = i;
            int pick = -1;
            Refusal last = null;
            int lastAt = -1;
            while (j < lines.size() && lines.get(j).group() == group) {
                if (pick < 0) {
                    Refusal why = check(lines.get(j).cap(), srd[j][0], srd[j][1], srd[j][2]);
                    if (why == null) {
                        pick = j;
                    } else {
                        last = why;
                        lastAt = j;
                    }
                }
                j++;
            }
            if (pick < 0) {
                refusal[0] = last;
                refusedAt[0] = lastAt;
                return null;
            }
            chosen[pick] = pick;
            i = j;
        }
        return chosen;
    }
}
