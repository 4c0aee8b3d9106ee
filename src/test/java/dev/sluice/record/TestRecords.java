package dev.sluice.record;

import dev.sluice.wire.Usage;
import java.time.Instant;
import java.util.Map;

/** Ledger records for tests, with only the fields a test cares about set. */
final class TestRecords {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private TestRecords() {
    }

    static LedgerRecord record(String id, int attempt) {
        return record(id, attempt, "team-a", "claude-sonnet-4-5", Map.of(), 1_000, T0);
    }

    static LedgerRecord record(String id, int attempt, String team, String model, Map<String, String> tags,
                               long costNanoUsd, Instant time) {
        return new LedgerRecord(id, attempt, time, "key-" + team, "alias-" + team, "user-1", team, "org-1", tags,
                "session-1", "claude-cli/2.1.330", "/v1/messages", model, model, "anthropic", "upstream-1", 200, null,
                new Usage(100, 50, 30, 200, 10, 20, 1, 0), false, costNanoUsd, 7, 0, "MISS", 900, 120, 3, true);
    }

    static LedgerRecord withUsage(LedgerRecord r, Usage u) {
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(), r.orgId(),
                r.tags(), r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(), r.provider(),
                r.upstreamKeyAlias(), r.status(), r.errorType(), u, r.usageEstimated(), r.costNanoUsd(),
                r.providerCacheSavingsNanoUsd(), r.gatewayCacheSavingsNanoUsd(), r.cacheStatus(), r.latencyMs(), r.ttfbMs(),
                r.gatewayMs(), r.stream());
    }
}
