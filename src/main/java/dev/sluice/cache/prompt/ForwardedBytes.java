package dev.sluice.cache.prompt;

import dev.sluice.cache.key.Breakpoint;
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
    private final List<Patch> patches;

    private ForwardedBytes(byte[] body, List<Patch> patches) {
        this.body = body;
        this.patches = patches;
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

    /** Feeds {@code [from, to)} of the body as forwarded: patches that start in the range are applied. */
    void feed(KeyHash h, int from, int to) {
        int pos = from;
        for (Patch p : patches) {
            if (p.start() < from) {
                continue;
            }
            if (p.start() >= to) {
                break;
            }
            if (p.start() > pos) {
                h.update(body, pos, p.start() - pos);
            }
            if (p.bytes().length > 0) {
                h.update(p.bytes(), 0, p.bytes().length);
            }
            pos = Math.max(pos, p.end());
        }
        if (pos < to) {
            h.update(body, pos, to - pos);
        }
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
