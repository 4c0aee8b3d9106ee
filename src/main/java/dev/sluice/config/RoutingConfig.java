package dev.sluice.config;

import java.time.Duration;
import java.util.List;

/**
 * What every route shares: the model catalog (and its aliases), who may use which models, retry
 * defaults, upstream health and sticky conversations.
 *
 * @param models the catalog; when given, {@code GET /v1/models} is answered from it (else forwarded)
 * @param access allow-lists; the first rule naming the caller decides which models it may use
 * @param retry  retry defaults for every route
 * @param health passive health, circuit breakers, active checks
 * @param sticky conversations stay on the target and key that served them
 * @param promptCacheBreakpoints prompt-cache breakpoints the OpenAI door places for clients that mark none
 */
public record RoutingConfig(List<ModelEntry> models, List<AccessRule> access, RetryConfig retry, HealthConfig health,
                            Sticky sticky, PromptCacheBreakpoints promptCacheBreakpoints) {
    public RoutingConfig {
        models = models == null ? List.of() : List.copyOf(models);
        access = access == null ? List.of() : List.copyOf(access);
        retry = retry == null ? RetryConfig.defaults() : retry.over(RetryConfig.defaults());
        health = health == null ? HealthConfig.defaults() : health;
        sticky = sticky == null ? Sticky.defaults() : sticky;
        promptCacheBreakpoints = promptCacheBreakpoints == null ? PromptCacheBreakpoints.defaults() : promptCacheBreakpoints;
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(null, null, null, null, null, null);
    }

    /**
     * A model callers may ask for.
     *
     * @param id          the model id (sent upstream unless a route renames it)
     * @param displayName shown by clients' model pickers (default: the id)
     * @param createdAt   RFC 3339 time for the listing (default 1970-01-01T00:00:00Z)
     * @param aliases     other names callers may use for it ({@code sonnet}, {@code default})
     */
    public record ModelEntry(String id, String displayName, String createdAt, List<String> aliases) {
        public ModelEntry {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    /**
     * An allow-list. It applies to a caller when every selector given matches (none given: everyone);
     * a model is allowed when it matches one of {@code models} (default {@code *}) and none of {@code deny}.
     * Selectors are what the gateway establishes (key id or alias, user, team, org), never tags: a
     * caller adds tags of its own ({@code x-sluice-tag-*}), so it could pick its own rule.
     */
    public record AccessRule(String key, String user, String team, String org, List<String> models, List<String> deny) {
        public AccessRule {
            models = models == null || models.isEmpty() ? List.of("*") : List.copyOf(models);
            deny = deny == null ? List.of() : List.copyOf(deny);
        }
    }

    /**
     * @param enabled    on by default
     * @param ttl        a conversation not seen for this long is forgotten (default 1h, the longest prompt-cache TTL)
     * @param maxEntries most conversations remembered (default 100,000; the least recently used go first)
     */
    public record Sticky(Boolean enabled, Duration ttl, Integer maxEntries) {
        public Sticky {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            ttl = ttl == null ? Duration.ofHours(1) : ttl;
            maxEntries = maxEntries == null ? defaultMaxEntries(Runtime.getRuntime().maxMemory()) : maxEntries;
        }

        /**
         * A 4,096th of the heap, from 10,000 to 100,000 conversations (49,152 at the launcher's 192 MB). Every new
         * conversation adds an entry that stays for the idle time, 185 to 315 bytes with its session id and Caffeine's
         * nodes, so the bound is always reached on a busy gateway: a fixed 100,000 took up to 31 MB of a 192 MB heap
         * beside every other table a busy hour fills (round 22).
         */
        static int defaultMaxEntries(long maxHeapBytes) {
            return (int) Math.clamp(maxHeapBytes / 4096, 10_000, 100_000);
        }

        public static Sticky defaults() {
            return new Sticky(null, null, null);
        }
    }

    /**
     * Automatic prompt-cache breakpoints for OpenAI-door requests to Claude upstreams
     * ({@code routing.prompt-cache-breakpoints}; a route's own {@code prompt-cache-breakpoints: true|false} overrides
     * {@code enabled}). Checked where they are compiled ({@code front.openai.AutoBreakpoints}); reloaded live.
     *
     * @param enabled   on by default
     * @param ttl       {@code 5m} (default) or {@code 1h}
     * @param userTurns how many of the newest user turns are marked, 0 to 2 (default 2)
     */
    public record PromptCacheBreakpoints(Boolean enabled, String ttl, Integer userTurns) {
        public PromptCacheBreakpoints {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            ttl = ttl == null ? "5m" : ttl;
            userTurns = userTurns == null ? 2 : userTurns;
        }

        public static PromptCacheBreakpoints defaults() {
            return new PromptCacheBreakpoints(null, null, null);
        }
    }
}
