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
 * (about one hash pass over the prefix bytes).
 *
 * @param hash       16-byte prefix identity, hex
 * @param breakpoint the marker that ends it
 * @param bytes      prefix size in body bytes (tokens are about a quarter of that)
 */
public record PromptPrefix(String hash, Breakpoint breakpoint, int bytes) {
    private static final KeySecret PUBLIC = KeySecret.fixed("prompt-prefix");

    /** Prompt order of a section: tools, then system, then messages (automatic caching ends the prompt). */
    static int order(Breakpoint b) {
        return switch (b.section()) {
            case "tools" -> 1;
            case "system" -> 2;
            case "messages" -> 3;
            default -> 4;
        };
    }

    /** The request's prefixes, shortest first. */
    public static List<PromptPrefix> of(byte[] body, RequestKey key) {
        if (!key.cacheable() || key.breakpoints().isEmpty()) {
            return List.of();
        }
        List<Breakpoint> sorted = new ArrayList<>(key.breakpoints());
        sorted.sort(Comparator.comparingInt(PromptPrefix::order).thenComparingInt(Breakpoint::prefixEnd));
        List<int[]> markers = new ArrayList<>();
        for (Breakpoint b : key.breakpoints()) {
            markers.add(Markers.memberRange(body, b));
        }
        markers.sort(Comparator.comparingInt(r -> r[0]));
        List<PromptPrefix> out = new ArrayList<>(sorted.size());
        for (Breakpoint b : sorted) {
            Hash128 h = PUBLIC.newHash();
            byte[] model = (key.model() == null ? "" : key.model()).getBytes(UTF_8);
            h.update(model, 0, model.length);
            int[] sections = key.sections();
            int total = 0;
            int order = order(b);
            for (int s = 0; s < 3; s++) {
                int start = sections[2 * s];
                int end = sections[2 * s + 1];
                if (start < 0) {
                    continue;
                }
                if (s + 1 == order) {
                    end = Math.min(end, b.prefixEnd());
                } else if (s + 1 > order) {
                    break;
                }
                h.update((byte) (0x70 + s));
                total += feed(h, body, start, end, markers);
            }
            byte[] digest = new byte[16];
            h.finish(digest, 0);
            out.add(new PromptPrefix(HexFormat.of().formatHex(digest), b, total));
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
