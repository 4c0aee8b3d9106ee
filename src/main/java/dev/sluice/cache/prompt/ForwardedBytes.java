package dev.sluice.cache.prompt;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.Hash128;
import dev.sluice.cache.key.KeyHash;
import dev.sluice.pipeline.RequestBody;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A request body as the provider will read it, fed to a hash range by range: the edits other stages made are applied
 * (upstream normalisation's stand-ins, so two developers' prompts hash alike exactly when the provider sees them
 * alike) and every {@code cache_control} member is left out (a marker does not change the prompt, and Claude Code
 * moves its last one every turn). An edit inside a marker (a TTL upgrade) goes with the marker.
 */
final class ForwardedBytes {
    private record Patch(int start, int end, byte[] bytes) {
    }

    private static final byte[] NOTHING = new byte[0];

    private final byte[] body;
    /** By start offset. */
    private final Patch[] patches;
    /**
     * {@code reach[i]}: the furthest end among patches {@code 0..i}. A walk feeds hundreds of ranges (one per
     * conversation block) and normalisation leaves hundreds of edits in a long conversation, so a range finds its first
     * patch by binary search and how far the earlier ones cover it from here, instead of passing them all each time.
     */
    private final int[] reach;

    private ForwardedBytes(byte[] body, List<Patch> patches) {
        this.body = body;
        this.patches = patches.toArray(new Patch[0]);
        this.reach = new int[this.patches.length];
        int furthest = 0;
        for (int i = 0; i < reach.length; i++) {
            furthest = Math.max(furthest, this.patches[i].end());
            reach[i] = furthest;
        }
    }

    static ForwardedBytes of(RequestBody body, List<Breakpoint> breakpoints) {
        List<Patch> markers = new ArrayList<>(breakpoints.size());
        for (Breakpoint b : breakpoints) {
            if (!b.section().equals("top")) {
                int[] range = Markers.memberRange(body.array(), b);
                markers.add(new Patch(range[0], range[1], NOTHING));
            }
        }
        List<Patch> all = new ArrayList<>(markers);
        for (RequestBody.Edit e : body.edits()) {
            if (!insideAny(e.start(), e.end(), markers)) {
                all.add(new Patch(e.start(), e.end(), e.bytes()));
            }
        }
        // Stable: inserts at one offset keep the order the body keeps them in.
        all.sort(Comparator.comparingInt(Patch::start));
        return new ForwardedBytes(body.array(), all);
    }

    /** Feeds {@code [from, to)} of the body as forwarded to {@code h}; returns how many bytes that was. */
    int feed(KeyHash h, int from, int to) {
        return feed(h, null, from, to);
    }

    /**
     * Feeds {@code [from, to)} of the body as forwarded to {@code h} and, when not null, to {@code also} in the same pass
     * ({@link Hash128#updateBoth}; then {@code h} is a {@link Hash128} too). Patches that start in the range are
     * applied, and the bytes of one that started before it are left out (they went with the range it started in), so
     * the bytes fed do not depend on where a walk cuts the body. Returns how many bytes were fed.
     */
    int feed(KeyHash h, Hash128 also, int from, int to) {
        int i = firstAtOrAfter(from);
        int pos = i == 0 ? from : Math.max(from, reach[i - 1]);
        int fed = 0;
        for (; i < patches.length; i++) {
            Patch p = patches[i];
            if (p.start() >= to) {
                break;
            }
            if (p.start() > pos) {
                update(h, also, body, pos, p.start() - pos);
                fed += p.start() - pos;
            }
            if (p.bytes().length > 0) {
                update(h, also, p.bytes(), 0, p.bytes().length);
                fed += p.bytes().length;
            }
            pos = Math.max(pos, p.end());
        }
        if (pos < to) {
            update(h, also, body, pos, to - pos);
            fed += to - pos;
        }
        return fed;
    }

    /** Plain calls, no lambda: the walk's feeding stays one compiled shape whichever hashes read. */
    private static void update(KeyHash h, Hash128 also, byte[] src, int off, int len) {
        if (also == null) {
            h.update(src, off, len);
        } else {
            Hash128.updateBoth((Hash128) h, also, src, off, len);
        }
    }

    /** Index of the first patch that starts at or after {@code offset} ({@code patches.length} when none does). */
    private int firstAtOrAfter(int offset) {
        int lo = 0;
        int hi = patches.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (patches[mid].start() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean insideAny(int start, int end, List<Patch> markers) {
        for (Patch m : markers) {
            if (m.start() <= start && end <= m.end() && (start < end || start > m.start() && start < m.end())) {
                return true;
            }
        }
        return false;
    }
}
