package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.Hash128;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The prefixes a request asks the provider to cache: for each {@code cache_control} breakpoint, a hash
 * of everything before it in the order the provider caches (model, tools, system, messages), taken
 * from the body's own bytes with every {@code cache_control} marker left out, so a prefix keeps its
 * identity when Claude Code moves its last breakpoint forward turn after turn.
 *
 * <p>These are raw prefixes (not workspace-relative): they name what the provider can actually reuse,
 * which is what routing stickiness and TTL advice are about. Computed on demand, off the hit path
 * (one hash pass over the longest prefix's bytes).
 *
 * <p>Why not from the keying pass: the key hashes a canonical form (members sorted, developer values as
 * placeholders, markers dropped by structure), not the body's bytes in prompt order, so it cannot yield these
 * hashes; and hashing the raw bytes there too would put a second hash pass on every cache hit, which never
 * needs prefixes.
 *
 * @param hash       16-byte prefix identity, hex
 * @param breakpoint the marker that ends it
 * @param bytes      prefix size in body bytes (tokens are about a quarter of that)
 */
public record PromptPrefix(String hash, Breakpoint breakpoint, int bytes) {
    private static final KeySecret PUBLIC = KeySecret.fixed("prompt-prefix");
    private static final HexFormat HEX = HexFormat.of();

    /** Prompt order of a section: tools, then system, then messages (automatic caching ends the prompt). */
    static int order(Breakpoint b) {
        return switch (b.section()) {
            case "tools" -> 1;
            case "system" -> 2;
            case "messages" -> 3;
            default -> 4;
        };
    }

    /** Shortest first: by section in prompt order, then by where the prefix ends. */
    private static final Comparator<Breakpoint> PROMPT_ORDER =
            Comparator.comparingInt(PromptPrefix::order).thenComparingInt(Breakpoint::prefixEnd);

    /**
     * The request's prefixes, shortest first.
     *
     * <p>Every prefix extends the one before it (same sections in the same order, each fed up to a later
     * point), and the hash is a stream, so one walk over the longest prefix gives them all: the state is
     * copied and finished at each breakpoint. Claude Code sends three or four breakpoints, two of them near
     * the end of a long conversation, so hashing each prefix from the start read most of the body several times.
     */
    public static List<PromptPrefix> of(byte[] body, RequestKey key) {
        if (!key.cacheable() || key.breakpoints().isEmpty()) {
            return List.of();
        }
        List<Breakpoint> sorted = new ArrayList<>(key.breakpoints());
        sorted.sort(PROMPT_ORDER);
        List<int[]> markers = new ArrayList<>(sorted.size());
        for (Breakpoint b : key.breakpoints()) {
            markers.add(Markers.memberRange(body, b));
        }
        markers.sort(Comparator.comparingInt(r -> r[0]));
        Hash128 h = PUBLIC.newHash();
        byte[] model = (key.model() == null ? "" : key.model()).getBytes(UTF_8);
        h.update(model, 0, model.length);
        int[] sections = key.sections();
        int[] fedTo = {sections[0], sections[2], sections[4]}; // how far each section has been fed
        boolean[] started = new boolean[3];
        int total = 0;
        List<PromptPrefix> out = new ArrayList<>(sorted.size());
        for (Breakpoint b : sorted) {
            int order = order(b);
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
            out.add(new PromptPrefix(HEX.formatHex(digest), b, total));
        }
        return out;
    }

    /** The longest prefix: what to keep a conversation's requests on one upstream account for. */
    public static PromptPrefix longest(byte[] body, RequestKey key) {
        List<PromptPrefix> all = of(body, key);
        return all.isEmpty() ? null : all.getLast();
    }

    public long approxTokens() {
        return bytes / 4L;
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
}
