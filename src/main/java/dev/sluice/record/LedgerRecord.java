package dev.sluice.record;

import dev.sluice.wire.Usage;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One upstream attempt, as billed. {@code (requestId, attempt)} is the idempotency key: the ledger keeps the
 * first record with a given key and ignores any later one, so retries, races and journal replays cannot
 * bill twice. Identity fields may be null when unknown (an unauthenticated request); {@code usage} and
 * {@code tags} never are (null becomes {@link Usage#ZERO} and an empty map). Time is kept to the millisecond.
 *
 * <p>An answer served from the gateway's own response cache made no upstream attempt: it is recorded as attempt
 * 0 with provider {@code cache}, zero usage and cost, what it saved in {@code gatewayCacheSavingsNanoUsd}, and the
 * original answer's prompt and output tokens in {@code cacheSavedInputTokens} and {@code cacheSavedOutputTokens}
 * (kept apart from {@code usage}, so token budgets and spend never count a hit). Both are 0 on every other record.
 *
 * <p>{@code guardVerdict} (added with the guardrails, issue 12) is what the guard stage decided about the request when it
 * forwarded it anyway, e.g. {@code flag prompt-injection-override@messages[4].content[0] (tool_result), line 2}; null
 * when nothing was found. It names rules and places, never the matched text.
 *
 * <p>{@code defaultPriced} is true when the served model was not in the price table and the table's default price
 * applied (migration V10): the cost is a placeholder finance must review, not the provider's rate.
 */
public record LedgerRecord(String requestId, int attempt, Instant time, String keyId, String keyAlias, String userId,
                           String teamId, String orgId, Map<String, String> tags, String sessionId, String client,
                           String endpoint, String requestedModel, String servedModel, String provider,
                           String upstreamKeyAlias, int status, String errorType, Usage usage, boolean usageEstimated,
                           long costNanoUsd, long providerCacheSavingsNanoUsd, long gatewayCacheSavingsNanoUsd,
                           String cacheStatus, long latencyMs, long ttfbMs, long gatewayMs, boolean stream,
                           long cacheSavedInputTokens, long cacheSavedOutputTokens, String guardVerdict,
                           boolean defaultPriced) {

    public LedgerRecord {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId: \"" + requestId + "\" (expected: a non-blank id)");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 0)");
        }
        Objects.requireNonNull(time, "time");
        usage = usage == null ? Usage.ZERO : usage;
        tags = copyTags(tags);
        if (cacheSavedInputTokens < 0 || cacheSavedOutputTokens < 0) {
            throw new IllegalArgumentException("cache saved tokens: " + cacheSavedInputTokens + "/" + cacheSavedOutputTokens
                    + " (expected: >= 0)");
        }
    }

    /** A record at a price the table knew (every field but {@code defaultPriced}, which is false). */
    public LedgerRecord(String requestId, int attempt, Instant time, String keyId, String keyAlias, String userId,
                        String teamId, String orgId, Map<String, String> tags, String sessionId, String client,
                        String endpoint, String requestedModel, String servedModel, String provider,
                        String upstreamKeyAlias, int status, String errorType, Usage usage, boolean usageEstimated,
                        long costNanoUsd, long providerCacheSavingsNanoUsd, long gatewayCacheSavingsNanoUsd,
                        String cacheStatus, long latencyMs, long ttfbMs, long gatewayMs, boolean stream,
                        long cacheSavedInputTokens, long cacheSavedOutputTokens, String guardVerdict) {
        this(requestId, attempt, time, keyId, keyAlias, userId, teamId, orgId, tags, sessionId, client, endpoint,
                requestedModel, servedModel, provider, upstreamKeyAlias, status, errorType, usage, usageEstimated,
                costNanoUsd, providerCacheSavingsNanoUsd, gatewayCacheSavingsNanoUsd, cacheStatus, latencyMs, ttfbMs,
                gatewayMs, stream, cacheSavedInputTokens, cacheSavedOutputTokens, guardVerdict, false);
    }

    /** A record of an upstream attempt: nothing saved by the gateway's response cache, no guard verdict. */
    public LedgerRecord(String requestId, int attempt, Instant time, String keyId, String keyAlias, String userId,
                        String teamId, String orgId, Map<String, String> tags, String sessionId, String client,
                        String endpoint, String requestedModel, String servedModel, String provider,
                        String upstreamKeyAlias, int status, String errorType, Usage usage, boolean usageEstimated,
                        long costNanoUsd, long providerCacheSavingsNanoUsd, long gatewayCacheSavingsNanoUsd,
                        String cacheStatus, long latencyMs, long ttfbMs, long gatewayMs, boolean stream) {
        this(requestId, attempt, time, keyId, keyAlias, userId, teamId, orgId, tags, sessionId, client, endpoint,
                requestedModel, servedModel, provider, upstreamKeyAlias, status, errorType, usage, usageEstimated,
                costNanoUsd, providerCacheSavingsNanoUsd, gatewayCacheSavingsNanoUsd, cacheStatus, latencyMs, ttfbMs,
                gatewayMs, stream, 0, 0, null, false);
    }

    /** A record of an upstream attempt the guard forwarded with a verdict (null: nothing found). */
    public LedgerRecord(String requestId, int attempt, Instant time, String keyId, String keyAlias, String userId,
                        String teamId, String orgId, Map<String, String> tags, String sessionId, String client,
                        String endpoint, String requestedModel, String servedModel, String provider,
                        String upstreamKeyAlias, int status, String errorType, Usage usage, boolean usageEstimated,
                        long costNanoUsd, long providerCacheSavingsNanoUsd, long gatewayCacheSavingsNanoUsd,
                        String cacheStatus, long latencyMs, long ttfbMs, long gatewayMs, boolean stream, String guardVerdict) {
        this(requestId, attempt, time, keyId, keyAlias, userId, teamId, orgId, tags, sessionId, client, endpoint,
                requestedModel, servedModel, provider, upstreamKeyAlias, status, errorType, usage, usageEstimated,
                costNanoUsd, providerCacheSavingsNanoUsd, gatewayCacheSavingsNanoUsd, cacheStatus, latencyMs, ttfbMs,
                gatewayMs, stream, 0, 0, guardVerdict, false);
    }

    /** A record of an answer from the gateway's response cache (no guard verdict of its own). */
    public LedgerRecord(String requestId, int attempt, Instant time, String keyId, String keyAlias, String userId,
                        String teamId, String orgId, Map<String, String> tags, String sessionId, String client,
                        String endpoint, String requestedModel, String servedModel, String provider,
                        String upstreamKeyAlias, int status, String errorType, Usage usage, boolean usageEstimated,
                        long costNanoUsd, long providerCacheSavingsNanoUsd, long gatewayCacheSavingsNanoUsd,
                        String cacheStatus, long latencyMs, long ttfbMs, long gatewayMs, boolean stream, long cacheSavedInputTokens, long cacheSavedOutputTokens) {
        this(requestId, attempt, time, keyId, keyAlias, userId, teamId, orgId, tags, sessionId, client, endpoint,
                requestedModel, servedModel, provider, upstreamKeyAlias, status, errorType, usage, usageEstimated,
                costNanoUsd, providerCacheSavingsNanoUsd, gatewayCacheSavingsNanoUsd, cacheStatus, latencyMs, ttfbMs,
                gatewayMs, stream, cacheSavedInputTokens, cacheSavedOutputTokens, null, false);
    }

    /** Sorted and unmodifiable so equal records encode to equal bytes; null keys and values are dropped. */
    private static Map<String, String> copyTags(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
