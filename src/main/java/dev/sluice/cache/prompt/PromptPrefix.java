package dev.sluice.cache.prompt;

import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import java.util.List;

/**
 * The prefixes a request asks the provider to cache: for each {@code cache_control} breakpoint, a hash
 * of everything before it in the order the provider caches (model, tools, system, messages), taken
 * from the body's bytes with every {@code cache_control} marker left out, so a prefix keeps its
 * identity when Claude Code moves its last breakpoint forward turn after turn.
 *
 * <p>They are taken from the body as forwarded (after upstream normalisation and the guard's redactions, not
 * workspace-relative): they name what the provider can actually reuse, which is what the re-read statistics, the TTL
 * upgrade and near misses are about. Computed off the hit path, in the walk that also hashes the fork prefixes
 * ({@link PromptHashes}).
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
    /** Prompt order of a section: tools, then system, then messages (automatic caching ends the prompt). */
    static int order(Breakpoint b) {
        return switch (b.section()) {
            case "tools" -> 1;
            case "system" -> 2;
            case "messages" -> 3;
            default -> 4;
        };
    }

    /**
     * The prefixes of {@code body} as forwarded, shortest first. Every prefix extends the one before it, so one walk
     * gives them all ({@link PromptHashes}); the cache stage takes them in the walk that hashes the fork prefixes too.
     */
    public static List<PromptPrefix> of(RequestBody body, RequestKey key) {
        return PromptHashes.of(body, key, "", true, false).prefixes();
    }

    /** The prefixes of a body no stage edited. */
    public static List<PromptPrefix> of(byte[] body, RequestKey key) {
        return of(RequestBody.of(body), key);
    }

    /** The longest prefix. */
    public static PromptPrefix longest(byte[] body, RequestKey key) {
        List<PromptPrefix> all = of(body, key);
        return all.isEmpty() ? null : all.getLast();
    }

    public long approxTokens() {
        return bytes / 4L;
    }
}
