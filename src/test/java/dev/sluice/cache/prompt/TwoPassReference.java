package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.Hash128;
import dev.sluice.cache.key.KeyHash;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The two passes {@link PromptHashes} replaced, kept as they were so its single walk can be held to them: the prefix
 * identities as {@code PromptPrefix.of} hashed them (the body's own bytes, markers left out) and the fork prefixes as
 * {@code ForkBreakpoint} hashed them (its own pass over {@link ForwardedBytes}).
 */
final class TwoPassReference {
    private TwoPassReference() {
    }

    /** The old {@code PromptPrefix.of}: one walk over the unedited body, skipping marker ranges. */
    static List<PromptPrefix> prefixes(byte[] body, RequestKey key) {
        if (!key.cacheable() || key.breakpoints().isEmpty()) {
            return List.of();
        }
        List<Breakpoint> sorted = new ArrayList<>(key.breakpoints());
        sorted.sort(Comparator.comparingInt(PromptPrefix::order).thenComparingInt(Breakpoint::prefixEnd));
        List<int[]> markers = new ArrayList<>(sorted.size());
        for (Breakpoint b : key.breakpoints()) {
            markers.add(Markers.memberRange(body, b));
        }
        markers.sort(Comparator.comparingInt(r -> r[0]));
        Hash128 h = KeySecret.fixed("prompt-prefix").newHash();
        byte[] model = (key.model() == null ? "" : key.model()).getBytes(UTF_8);
        h.update(model, 0, model.length);
        int[] sections = key.sections();
        int[] fedTo = {sections[0], sections[2], sections[4]};
        boolean[] started = new boolean[3];
        int total = 0;
        List<PromptPrefix> out = new ArrayList<>(sorted.size());
        for (Breakpoint b : sorted) {
            int order = PromptPrefix.order(b);
            for (int s = 0; s < 3 && s + 1 <= order; s++) {
                int start = sections[2 * s];
                if (start < 0) {
                    continue;
                }
                int end = s + 1 == order ? Math.min(sections[2 * s + 1], b.prefixEnd()) : sections[2 * s + 1];
                if (!started[s]) {
                    h.update((byte) (0x70 + s));
                    started[s] = true;
                }
                if (end > fedTo[s]) {
                    total += feed(h, body, fedTo[s], end, markers);
                    fedTo[s] = end;
                }
            }
            byte[] digest = new byte[16];
            h.copy().finish(digest, 0);
            out.add(new PromptPrefix(HexFormat.of().formatHex(digest), b, total));
        }
        return out;
    }

    private static int feed(Hash128 h, byte[] body, int start, int end, List<int[]> markers) {
        int at = start;
        int fed = 0;
        for (int[] m : markers) {
            if (m[1] <= at || m[0] >= end) {
                continue;
            }
            int stop = Math.max(at, Math.min(m[0], end));
            h.update(body, at, stop - at);
            fed += stop - at;
            at = Math.max(at, m[1]);
        }
        if (at < end) {
            h.update(body, at, end - at);
            fed += end - at;
        }
        return fed;
    }

    /** Each identity of an edited body from scratch, one hash per breakpoint over the body as forwarded. */
    static List<String> forwardedPrefixHashes(RequestBody body, RequestKey key) {
        ForwardedBytes view = ForwardedBytes.of(body, key.breakpoints());
        List<Breakpoint> sorted = new ArrayList<>(key.breakpoints());
        sorted.sort(Comparator.comparingInt(PromptPrefix::order).thenComparingInt(Breakpoint::prefixEnd));
        List<String> out = new ArrayList<>();
        for (Breakpoint b : sorted) {
            KeyHash h = KeySecret.fixed("prompt-prefix").newHash();
            byte[] model = (key.model() == null ? "" : key.model()).getBytes(UTF_8);
            h.update(model, 0, model.length);
            int order = PromptPrefix.order(b);
            for (int s = 0; s < 3 && s + 1 <= order; s++) {
                int start = key.sections()[2 * s];
                if (start >= 0) {
                    h.update((byte) (0x70 + s));
                    int end = s + 1 == order ? Math.min(key.sections()[2 * s + 1], b.prefixEnd()) : key.sections()[2 * s + 1];
                    view.feed(h, start, Math.max(start, end));
                }
            }
            byte[] digest = new byte[16];
            h.finish(digest, 0);
            out.add(HexFormat.of().formatHex(digest));
        }
        return out;
    }

    /** The old {@code ForkBreakpoint.prefixes}: its own pass over the body as forwarded, blocks {@code 0..last}. */
    static ForkBreakpoint.Prefix[] forks(RequestBody body, RequestKey key, String org, int last) {
        ForwardedBytes view = ForwardedBytes.of(body, key.breakpoints());
        KeyHash h = KeySecret.fixed("prompt-fork").newHash();
        byte[] scope = (org + "\0" + (key.model() == null ? "" : key.model())).getBytes(UTF_8);
        h.update(scope, 0, scope.length);
        int[] sections = key.sections();
        for (int s = 0; s < 2; s++) {
            if (sections[2 * s] >= 0) {
                h.update((byte) (0x70 + s));
                view.feed(h, sections[2 * s], sections[2 * s + 1]);
            }
        }
        h.update((byte) 0x72);
        int[] ends = key.blockEnds();
        ForkBreakpoint.Prefix[] out = new ForkBreakpoint.Prefix[last + 1];
        byte[] digest = new byte[16];
        int pos = sections[4];
        for (int i = 0; i <= last; i++) {
            view.feed(h, pos, ends[i]);
            pos = ends[i];
            if (i >= 32 && i < last - 32) {
                continue;
            }
            h.copy().finish(digest, 0);
            ByteBuffer d = ByteBuffer.wrap(digest);
            out[i] = new ForkBreakpoint.Prefix(d.getLong(), d.getLong());
        }
        return out;
    }
}
