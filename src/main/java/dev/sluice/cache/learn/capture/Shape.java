package dev.sluice.cache.learn.capture;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One captured request: who asked (org and scope ids, never names of files or prompt text), what the cache decided
 * and why, digests of the key's parts, tokens and dollars. Digests are keyed with the capture directory's salt, so a
 * capture file alone does not let anyone test guesses of prompt text against it.
 *
 * @param at            when the request arrived, epoch milliseconds
 * @param org           organization id ({@code -} without one)
 * @param scope         the store scope the route used ({@code org}, {@code team:ID}, {@code user:ID}, {@code key:ID})
 * @param user          user id, or the key id for callers without a user (for per-user replay policies)
 * @param team          team id, or null
 * @param namespace     the cache namespace in force ({@code ""} by default)
 * @param outcome       {@code hit}, {@code semantic}, {@code miss}, {@code refresh} or {@code bypass}
 * @param reason        why a bypass bypassed, or null
 * @param stored        for a miss: whether its answer was stored (null when it was not a miss or no answer came)
 * @param storeReason   why it was not stored (or how it was pinned)
 * @param ttlSeconds    the TTL the entry got (or would have got)
 * @param rewritten     placeholders the workspace-relative rewriting replaced ({@code WORKSPACE}, {@code HOME}, ...)
 * @param bindings      digest of each replaced value (same digest: same developer value)
 * @param key           the real cache key, shortened (null when not keyed)
 * @param keys          whole-request digests under the replay's canonicalisation variants ({@link Variant})
 * @param parts         digests with the rewriting applied (what the key compares)
 * @param raw           digests as sent (what the provider's prompt cache compares)
 * @param loose         whole-request digest with whitespace normalised and paths, home directories, user names,
 *                      e-mail addresses, ids and dates masked by pattern, whether or not the keyer knew them
 * @param costNanoUsd   what the request cost upstream (0 for a hit)
 * @param valueNanoUsd  what it would have cost upstream: the cost for a miss, the saving for a hit
 * @param answer        digest of the answer's text with the developer's values masked (null when not seen)
 * @param breakpoints   the request's {@code cache_control} markers: index in {@link Parts#prefixBytes()} and TTL
 * @param similarity    semantic similarity of the nearest entry when the semantic cache reported one, else NaN
 * @param text          the newest user text, only with {@code include-text: true}, else null
 */
public record Shape(long at, String requestId, String org, String scope, String user, String team, String namespace,
                    String model, boolean stream, String outcome, String reason, Boolean stored, String storeReason,
                    long ttlSeconds, String rules, List<String> rewritten, Map<String, String> bindings, String key,
                    Map<Variant, String> keys, Parts parts, Parts raw, String loose, long inputTokens, long outputTokens,
                    long cacheReadTokens, long cacheWriteTokens, long costNanoUsd, long valueNanoUsd, String answer,
                    List<Breakpoint> breakpoints, double similarity, String text) {
    public Shape {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(outcome, "outcome");
        namespace = namespace == null ? "" : namespace;
        rewritten = rewritten == null ? List.of() : List.copyOf(rewritten);
        bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
        keys = keys == null ? Map.of() : Map.copyOf(keys);
        breakpoints = breakpoints == null ? List.of() : List.copyOf(breakpoints);
    }

    /** Whether the request went upstream although the cache was consulted. */
    public boolean missed() {
        return outcome.equals("miss") || outcome.equals("refresh");
    }

    public boolean hit() {
        return outcome.equals("hit") || outcome.equals("semantic");
    }

    /**
     * Digests of a request's parts, in the order the provider reads a prompt.
     *
     * @param params      model and every field that is not system, tools or messages (sampling, thinking, ...)
     * @param tools       the tool definitions
     * @param system      the system prompt
     * @param turns       each message before the newest
     * @param newest      the newest message
     * @param prefixBytes canonical bytes up to the end of tools, system, each earlier turn and the newest, cumulative
     */
    public record Parts(String params, String tools, String system, List<String> turns, String newest,
                        List<Long> prefixBytes) {
        public Parts {
            turns = turns == null ? List.of() : List.copyOf(turns);
            prefixBytes = prefixBytes == null ? List.of() : List.copyOf(prefixBytes);
        }

        /** How many parts agree from the start (tools, system, then turns), the params aside. */
        public int commonPrefix(Parts o) {
            if (!Objects.equals(tools, o.tools)) {
                return 0;
            }
            if (!Objects.equals(system, o.system)) {
                return 1;
            }
            int n = 0;
            while (n < turns.size() && n < o.turns.size() && turns.get(n).equals(o.turns.get(n))) {
                n++;
            }
            return 2 + n;
        }
    }

    /**
     * A prompt-cache marker.
     *
     * @param part index into {@link Parts#prefixBytes()} of the part it closes (0 tools, 1 system, 2 + n turn n)
     * @param ttl  {@code 5m} or {@code 1h}
     */
    public record Breakpoint(int part, String ttl) {
    }

    /** The canonicalisation variants every capture keys under, so a replay can switch rules on and off. */
    public enum Variant {
        /** No developer value replaced, text as sent. */
        EXACT("exact"),
        /** Text whitespace normalised (CRLF, trailing blanks). */
        WHITESPACE("whitespace"),
        /** Workspace-relative: paths, git user, date and tool-use ids as placeholders. */
        REWRITE("rewrite"),
        /** Both. */
        REWRITE_WHITESPACE("rewrite+whitespace");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Variant of(boolean rewrite, boolean whitespace) {
            return rewrite ? (whitespace ? REWRITE_WHITESPACE : REWRITE) : (whitespace ? WHITESPACE : EXACT);
        }

        public static Variant byLabel(String label) {
            for (Variant v : values()) {
                if (v.label.equals(label)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("key variant: '" + label + "' (expected: exact, whitespace, rewrite or rewrite+whitespace)");
        }
    }
}
