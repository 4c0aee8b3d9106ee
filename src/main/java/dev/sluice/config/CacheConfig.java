package dev.sluice.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's response cache ({@code cache:}). Absent, the cache is off and every answer says
 * {@code x-sluice-cache: bypass}; present, it is on ({@code enabled} defaults to true) with the
 * {@code defaults} policy for every model and the first matching {@code routes} entry overriding it. Policies
 * reload live; the store (kind, budget, Redis URL, key hash) takes effect at the next start.
 *
 * <pre>
 * cache:
 *   store: {kind: memory, budget: 64MB}          # or {kind: redis, url: redis://host:6379}
 *   defaults: {mode: on, scope: org, ttl: 1h}
 *   routes:
 *     - {match: "claude-*haiku*", mode: off}
 * </pre>
 *
 * @param enabled     false turns the whole cache off (the section stays for later)
 * @param store       where entries live
 * @param keyHash     {@code fast} (the keyed 128-bit hash, default) or {@code sha256}
 * @param defaults    the policy of every model no route entry matches
 * @param routes      per-model overrides, first match on the requested model wins; unset fields come from defaults
 * @param promptCache help for the provider's own prompt cache
 * @param semantic    matching the newest question by meaning behind the exact cache (absent: off)
 * @param capture     request shapes kept for miss analysis and replay (off unless enabled)
 */
public record CacheConfig(Boolean enabled, Store store, String keyHash, Policy defaults, List<Policy> routes,
                          PromptCache promptCache, Semantic semantic, Capture capture) {
    public CacheConfig {
        enabled = enabled == null || enabled;
        store = store == null ? Store.defaults() : store;
        keyHash = keyHash == null ? "fast" : keyHash;
        defaults = defaults == null ? Policy.empty() : defaults;
        routes = routes == null ? List.of() : List.copyOf(routes);
        promptCache = promptCache == null ? PromptCache.defaults() : promptCache;
        semantic = semantic == null ? Semantic.off() : semantic;
        capture = capture == null ? Capture.defaults() : capture;
    }

    /** As the canonical constructor, without the semantic and capture sections (both off). */
    public CacheConfig(Boolean enabled, Store store, String keyHash, Policy defaults, List<Policy> routes,
                       PromptCache promptCache) {
        this(enabled, store, keyHash, defaults, routes, promptCache, null, null);
    }

    /** What a gateway without a {@code cache:} section runs with: off. */
    public static CacheConfig off() {
        return new CacheConfig(false, null, null, null, null, null, null, null);
    }

    /**
     * @param kind    {@code memory} (in this process, default) or {@code redis} (shared by replicas)
     * @param budget  bytes the in-process store may hold (entries are compressed); keep it well under the heap
     * @param url     {@code redis://[user:password@]host:port[/db]} for {@code redis}
     * @param timeout how long a lookup waits for the store before the request goes upstream as a bypass
     */
    public record Store(String kind, Size budget, String url, Duration timeout) {
        public Store {
            kind = kind == null ? "memory" : kind;
            budget = budget == null ? Size.ofMegabytes(64) : budget;
            timeout = timeout == null ? Duration.ofMillis(100) : timeout;
        }

        public static Store defaults() {
            return new Store(null, null, null, null);
        }

        @Override
        public String toString() {
            return "Store[kind=" + kind + ", budget=" + budget.bytes() + ", url=" + (url == null ? "none" : "<set>")
                    + ", timeout=" + timeout + "]";
        }
    }

    /**
     * One cache policy; every field is optional (null: inherited from {@code defaults}, then the built-in default).
     *
     * @param match          the requested model (name or glob) a route entry is for; not allowed in {@code defaults}
     * @param mode           {@code on}, {@code off}, {@code read-only} or {@code write-only}
     * @param scope          who shares entries: {@code org}, {@code team}, {@code user} or {@code key}
     * @param ttl            how long an answer is kept unless the request asks for less (or more, up to maxTtl)
     * @param maxTtl         the most a request may ask for
     * @param namespace      namespace of entries unless a request names one
     * @param cacheSampled   cache requests with {@code temperature} above 0
     * @param storeMaxTokens store answers cut by {@code max_tokens}
     * @param storeRefusals  store answers with {@code stop_reason: refusal}
     * @param maxEntry       largest answer stored
     * @param maxRequest     largest request keyed
     * @param rules          canonicalisation rules, each {@code name} or {@code name@version}
     * @param ttlUpgrade     upgrade 5-minute prompt-cache breakpoints to 1 hour where reuse beyond 5 minutes was seen
     * @param normaliseUpstream forward the team's stand-ins in place of each developer's own values (paths, git user,
     *                       the billing header's per-prompt part), so the provider's prompt cache is shared too
     * @param forkBreakpoint add a prompt-cache breakpoint where a conversation forks from prompts forwarded before
     */
    public record Policy(String match, String mode, String scope, Duration ttl, Duration maxTtl, String namespace,
                         Boolean cacheSampled, Boolean storeMaxTokens, Boolean storeRefusals, Size maxEntry,
                         Size maxRequest, List<String> rules, Boolean ttlUpgrade, Boolean normaliseUpstream,
                         Boolean forkBreakpoint) {
        public Policy {
            rules = rules == null ? null : List.copyOf(rules);
        }

        public static Policy empty() {
            return new Policy(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * @param prefixStats how many prompt prefixes the re-read statistics track (0: none, no TTL upgrade)
     */
    public record PromptCache(Integer prefixStats) {
        public PromptCache {
            prefixStats = prefixStats == null ? 10_000 : prefixStats;
        }

        public static PromptCache defaults() {
            return new PromptCache(null);
        }
    }

    /**
     * The semantic cache ({@code cache.semantic}). Every field is optional; the mode and the per-model thresholds
     * reload live, the rest (the model, index sizes, the base threshold, the lookup pool) takes effect at the next start.
     *
     * @param mode            {@code off} (default), {@code shadow} (find would-be hits, serve nothing, learn) or {@code on}
     * @param routes          model globs the semantic cache applies to (default: every model the exact cache serves)
     * @param threshold       base similarity on the shipped verifier's scale (default 0.92, chosen on the labelled set)
     * @param thresholdFloor  learned thresholds never go below this (default 0.90)
     * @param errorBound      the wrong-answer rate a learned threshold may risk, 0 &lt; δ &lt; 0.5 (default 0.01)
     * @param candidates      nearest entries verified per lookup, 1..64 (default 4)
     * @param entryTtl        questions older than this are not matched (default 7d)
     * @param maxEntries      questions per (scope, conversation anchor), the oldest make room (default 50000)
     * @param maxBytes        heap for every index together (default 256MB)
     * @param queue           lookups and stores waiting for the embedding threads; a full queue is a miss (default 256)
     * @param maxWait         how long a request waits for its semantic lookup before going upstream as a miss (default 50ms)
     * @param modelThreads    threads the transformer may use (default 1)
     * @param tableDir        where the static token table is kept between starts (default {@code <data-dir>/semantic})
     * @param thresholds      base thresholds per model glob, first match wins, reloaded live (a stricter bar for a
     *                        model whose answers must never be approximate, a looser one where paraphrases abound);
     *                        evidence still moves each entry's threshold from there, never below the floor
     * @param rollback        automatic rollback of a version that changed this section and made it worse (on by default)
     */
    public record Semantic(String mode, List<String> routes, Double threshold, Double thresholdFloor, Double errorBound,
                           Integer candidates, Duration entryTtl, Integer maxEntries, Size maxBytes, Integer queue,
                           Duration maxWait, Integer modelThreads, String tableDir, java.util.Map<String, Double> thresholds,
                           Rollback rollback) {
        public Semantic {
            mode = mode == null ? "off" : mode;
            routes = routes == null ? List.of("*") : List.copyOf(routes);
            threshold = threshold == null ? 0.92 : threshold;
            thresholdFloor = thresholdFloor == null ? Math.min(0.90, threshold) : thresholdFloor;
            errorBound = errorBound == null ? 0.01 : errorBound;
            candidates = candidates == null ? 4 : candidates;
            entryTtl = entryTtl == null ? Duration.ofDays(7) : entryTtl;
            maxEntries = maxEntries == null ? 50_000 : maxEntries;
            maxBytes = maxBytes == null ? Size.ofMegabytes(256) : maxBytes;
            queue = queue == null ? 256 : queue;
            maxWait = maxWait == null ? Duration.ofMillis(50) : maxWait;
            modelThreads = modelThreads == null ? 1 : modelThreads;
            // Insertion order is the order of the file: the first glob that fits a model decides.
            thresholds = thresholds == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(thresholds));
            rollback = rollback == null ? new Rollback(null, null, null, null, null, null) : rollback;
        }

        /**
         * Automatic rollback of a configuration version that changed this section ({@code cache.semantic.rollback}):
         * during {@code window} after it is applied, more wrong-answer signals than {@code maxWrongShare} of its
         * semantic hits (once it has {@code minHits}), or a hit rate below {@code minHitRatio} of the one before
         * (once both sides have {@code minLookups}), applies the previous version again.
         */
        public record Rollback(Boolean enabled, Duration window, Double maxWrongShare, Integer minHits, Integer minLookups,
                               Double minHitRatio) {
            public Rollback {
                enabled = enabled == null || enabled;
                window = window == null ? Duration.ofMinutes(30) : window;
                maxWrongShare = maxWrongShare == null ? 0.05 : maxWrongShare;
                minHits = minHits == null ? 20 : minHits;
                minLookups = minLookups == null ? 200 : minLookups;
                minHitRatio = minHitRatio == null ? 0.5 : minHitRatio;
            }
        }

        public static Semantic off() {
            return new Semantic(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Request shapes for {@code sluice cache misses}, {@code sluice replay} and {@code sluice cache advice}: digests
     * of the key's parts, the cache outcome, tokens and cost, one JSON line per request. Read at start.
     *
     * @param enabled     off by default
     * @param dir         where the files go (default: {@code <data-dir>/cache-capture})
     * @param maxBytes    size of one file before it is rotated (default 64MB, 64KB to 1GB)
     * @param keep        rotated files kept besides the current one (default 4, at most 100)
     * @param sample      share of requests captured, 0 to 1 (default 1)
     * @param includeText also keep the newest user text (up to 2,000 characters): off, digests only
     */
    public record Capture(Boolean enabled, Path dir, Size maxBytes, Integer keep, Double sample, Boolean includeText) {
        public Capture {
            enabled = enabled != null && enabled;
            maxBytes = maxBytes == null ? Size.ofMegabytes(64) : maxBytes;
            keep = keep == null ? 4 : keep;
            sample = sample == null ? 1.0 : sample;
            includeText = includeText != null && includeText;
            if (maxBytes.bytes() < 64 * 1024 || maxBytes.bytes() > 1L << 30) {
                throw new IllegalArgumentException("cache.capture.max-bytes: " + maxBytes.bytes() + " (expected: 64KB to 1GB)");
            }
            if (keep < 0 || keep > 100) {
                throw new IllegalArgumentException("cache.capture.keep: " + keep + " (expected: 0 to 100)");
            }
            if (!(sample > 0 && sample <= 1)) {
                throw new IllegalArgumentException("cache.capture.sample: " + sample + " (expected: more than 0, at most 1)");
            }
        }

        public static Capture defaults() {
            return new Capture(null, null, null, null, null, null);
        }
    }
}
