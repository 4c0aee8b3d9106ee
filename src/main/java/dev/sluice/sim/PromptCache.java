package dev.sluice.sim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Emulates Anthropic prompt caching, per upstream key.
 *
 * <p>For one request with layout L (see {@link PromptLayout}):
 * <ol>
 *   <li>Only requests with at least one breakpoint touch the cache.
 *   <li>Read: from each breakpoint, walk back over it and the {@link #LOOKBACK} blocks before it, as the real
 *       API does; the furthest block whose prefix is remembered for this key is the longest cached prefix. Its
 *       tokens are {@code cache_read_input_tokens}; the read refreshes the entry's ttl. A prefix written more
 *       than {@link #LOOKBACK} blocks before every breakpoint of a request is not found (a long tool loop after
 *       the only breakpoint on the conversation misses; a breakpoint where the previous request had its own finds it).
 *   <li>Write: each later breakpoint whose prefix has at least {@code minCacheableTokens} is remembered
 *       with its ttl; the tokens between the previous cached point and it are written and counted in
 *       that breakpoint's ttl bucket (5m or 1h). Tokens before a too-short breakpoint roll into the
 *       next one.
 *   <li>Everything after the last written point is plain {@code input_tokens}.
 * </ol>
 * Entries live in a bounded Caffeine cache whose per-entry expiry is the entry's ttl, renewed on access.
 */
final class PromptCache {

    private static final long MAX_ENTRIES = 200_000;
    /** Blocks before a breakpoint the read looks back over (Anthropic: "about 20"). */
    static final int LOOKBACK = 20;

    private record Key(String upstreamKey, PrefixHash prefix) {
    }

    private final int minCacheableTokens;
    private final Cache<Key, CacheTtl> entries;

    PromptCache(int minCacheableTokens) {
        this(minCacheableTokens, Ticker.systemTicker());
    }

    /** With an explicit clock, so tests can expire entries without waiting. */
    PromptCache(int minCacheableTokens, Ticker ticker) {
        this.minCacheableTokens = minCacheableTokens;
        this.entries = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .ticker(ticker)
                .expireAfter(Expiry.accessing((Key key, CacheTtl ttl) -> ttl.duration()))
                .build();
    }

    /** Reads and writes the cache for one request and says how its input tokens split. */
    CacheUsage account(String upstreamKey, PromptLayout layout) {
        int last = layout.lastBreakpoint();
        if (last < 0) {
            return CacheUsage.uncached(layout.totalTokens());
        }
        int readIndex = -1;
        for (int b = last; b > readIndex; b--) {
            if (layout.breakpoint(b) == null) {
                continue;
            }
            for (int i = b; i >= Math.max(readIndex + 1, b - LOOKBACK); i--) {
                if (entries.getIfPresent(new Key(upstreamKey, layout.prefix(i))) != null) {
                    readIndex = i;
                    break;
                }
            }
        }
        int read = readIndex < 0 ? 0 : layout.tokensThrough(readIndex);
        int cursor = read;
        int written5m = 0;
        int written1h = 0;
        for (int i = readIndex + 1; i <= last; i++) {
            CacheTtl ttl = layout.breakpoint(i);
            int end = layout.tokensThrough(i);
            if (ttl == null || end < minCacheableTokens) {
                continue;
            }
            if (ttl == CacheTtl.ONE_HOUR) {
                written1h += end - cursor;
            } else {
                written5m += end - cursor;
            }
            cursor = end;
            entries.asMap().merge(new Key(upstreamKey, layout.prefix(i)), ttl, CacheTtl::longer);
        }
        return new CacheUsage(layout.totalTokens() - cursor, read, written5m, written1h);
    }

    void clear() {
        entries.invalidateAll();
    }
}
