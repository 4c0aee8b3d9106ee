package dev.sluice.cache;

import dev.sluice.cache.entry.CaptureCheck;
import dev.sluice.cache.key.KeyRules;
import java.time.Duration;
import java.util.Objects;

/**
 * The cache settings of one route. The defaults, and why:
 * <ul>
 *   <li>mode {@code on}, scope {@code org}: the point is sharing answers across a team's developers;
 *       entries never leave the organization.</li>
 *   <li>TTL 1 hour by default, at most 7 days: agent answers go stale as code changes; the namespace
 *       (a git SHA) is the sharper tool for that.</li>
 *   <li>sampled requests ({@code temperature} above 0, Claude Code's default of 1) are cached: a stored
 *       answer is one the model could have given for exactly this request, which is all a sampled
 *       request ever promises. Turn {@code cacheSampled} off to cache only deterministic requests.</li>
 *   <li>answers cut by {@code max_tokens} and refusals are not stored; errors never are.</li>
 *   <li>entries up to 4 MB, requests up to 32 MB (the body cap) are keyed.</li>
 * </ul>
 *
 * @param namespace default namespace ({@code ""}), overridden per request by {@code x-sluice-cache-namespace}
 */
public record CachePolicy(CacheMode mode, CacheScope scope, Duration defaultTtl, Duration maxTtl, KeyRules rules,
                          boolean cacheSampled, CaptureCheck.Rules store, long maxEntryBytes, long maxRequestBytes,
                          String namespace) {
    public CachePolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(namespace, "namespace");
        if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("cache ttl: default " + defaultTtl + ", max " + maxTtl
                    + " (expected: 0 < default <= max)");
        }
        if (maxEntryBytes < 1024 || maxRequestBytes < 1024) {
            throw new IllegalArgumentException("cache limits: entry " + maxEntryBytes + ", request " + maxRequestBytes
                    + " bytes (expected: at least 1024 each)");
        }
        CacheControls.checkNamespace(namespace);
    }

    public static CachePolicy defaults() {
        return new CachePolicy(CacheMode.ON, CacheScope.ORG, Duration.ofHours(1), Duration.ofDays(7), KeyRules.defaults(),
                true, CaptureCheck.Rules.DEFAULT, 4L << 20, 32L << 20, "");
    }

    public CachePolicy withMode(CacheMode m) {
        return new CachePolicy(m, scope, defaultTtl, maxTtl, rules, cacheSampled, store, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withScope(CacheScope s) {
        return new CachePolicy(mode, s, defaultTtl, maxTtl, rules, cacheSampled, store, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withRules(KeyRules r) {
        return new CachePolicy(mode, scope, defaultTtl, maxTtl, r, cacheSampled, store, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withTtl(Duration ttl, Duration max) {
        return new CachePolicy(mode, scope, ttl, max, rules, cacheSampled, store, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withCacheSampled(boolean sampled) {
        return new CachePolicy(mode, scope, defaultTtl, maxTtl, rules, sampled, store, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withStore(CaptureCheck.Rules s) {
        return new CachePolicy(mode, scope, defaultTtl, maxTtl, rules, cacheSampled, s, maxEntryBytes, maxRequestBytes, namespace);
    }

    public CachePolicy withLimits(long entryBytes, long requestBytes) {
        return new CachePolicy(mode, scope, defaultTtl, maxTtl, rules, cacheSampled, store, entryBytes, requestBytes, namespace);
    }
}
