package dev.sluice.record;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.SseEvent;

/**
 * Record: exactly one ledger record per upstream attempt, whatever happened to it (answered,
 * retried, failed, cut, client gone, gateway killed).
 *
 * <ol>
 *   <li>Before an attempt is sent, its skeleton goes into an in-flight slot ({@link InFlightAttempts}),
 *       so a crash cannot make it vanish.</li>
 *   <li>As a streamed answer reports usage ({@code message_start}, {@code message_delta}), the slot is
 *       rewritten with the usage so far, so a crash bills at least what the upstream had reported.</li>
 *   <li>When the attempt ends (before its answer's last byte reaches the client), its record is
 *       appended to the ledger's journal and the slot is freed.</li>
 * </ol>
 * Requests that never reached an upstream (bad input, bad key, over budget) make no attempt and cost
 * nothing; the audit log has them. An answer from the gateway's response cache is the one exception: it
 * is recorded as attempt 0 ({@link CacheHitRecord}), so reports can count hits and what they saved.
 */
public final class RecordStage implements Stage {
    /**
     * The guard stage's verdict on a request it let through (issue 12), for this stage's records and the
     * telemetry: set by {@code dev.sluice.guard.stage.GuardStage}, read here so the record package needs no guard types.
     */
    /** When this exchange's in-flight slot was last written (a one-element holder, updated in place). */
    private static final Exchange.Key<long[]> LAST_SLOT_WRITE = new Exchange.Key<>("in-flight slot written", long[].class);
    private static final long SLOT_REFRESH_NANOS = 250_000_000L;

    public static final Exchange.Key<String> GUARD_VERDICT = new Exchange.Key<>("guard verdict", String.class);
    /**
     * Set by the guard when it blocked or redacted the request: the client's body holds what the policy keeps from
     * the upstream, so it must not reach a log either (the audit log's content logging reads this).
     */
    public static final Exchange.Key<Boolean> GUARD_WITHHELD = new Exchange.Key<>("guard withheld", Boolean.class);

    private final Ledger ledger;
    private final InFlightAttempts inFlight;

    public RecordStage(Ledger ledger, InFlightAttempts inFlight) {
        this.ledger = ledger;
        this.inFlight = inFlight;
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public void onAttempt(Exchange ex, Attempt attempt) {
        inFlight.begin(toRecord(ex, attempt));
    }

    @Override
    public SseEvent onEvent(Exchange ex, SseEvent event) {
        String type = event.type();
        boolean usageEvent = type.equals("message_start") || type.equals("message_delta");
        long[] lastWrite = ex.get(LAST_SLOT_WRITE);
        long now = System.nanoTime();
        // Between message_start and the final message_delta only the output estimate grows (text deltas). A kill -9
        // bills what the slot last held, so it is rewritten on a stream's deltas too, at most every 250 ms: one
        // small page-cache write, not one per token.
        if (usageEvent || lastWrite != null && now - lastWrite[0] >= SLOT_REFRESH_NANOS) {
            Attempt a = ex.lastAttempt();
            if (a != null && !a.ended()) {
                inFlight.update(toRecord(ex, a));
                if (lastWrite == null) {
                    ex.put(LAST_SLOT_WRITE, new long[] {now});
                } else {
                    lastWrite[0] = now;
                }
            }
        }
        return event;
    }

    @Override
    public void onAttemptEnd(Exchange ex, Attempt attempt) {
        try {
            ledger.append(toRecord(ex, attempt));
        } finally {
            inFlight.end(ex.requestId(), attempt.number());
        }
    }

    @Override
    public void onComplete(Exchange ex) {
        CacheHitRecord hit = ex.get(CacheHitRecord.KEY);
        if (hit != null && ex.attempts().isEmpty()) {
            ledger.append(toRecord(ex, hit));
        }
    }

    static LedgerRecord toRecord(Exchange ex, CacheHitRecord hit) {
        Identity who = ex.identity();
        String error = ex.errorType() != null ? ex.errorType() : ex.clientGone() ? "client_closed" : null;
        return new LedgerRecord(ex.requestId(), 0, java.time.Instant.now().minusMillis(ex.totalMillis()),
                who == null ? null : who.keyId(), who == null ? null : who.keyAlias(),
                who == null ? null : who.userId(), who == null ? null : who.teamId(), who == null ? null : who.orgId(),
                who == null ? null : who.tags(), ex.sessionId(), ex.client(), ex.operation().label(),
                ex.facts().model(), hit.model(), CacheHitRecord.PROVIDER, null, ex.status(), error,
                dev.sluice.wire.Usage.ZERO, false, 0, 0, hit.savingsNanoUsd(), ex.cacheStatus(),
                ex.totalMillis(), -1, Math.round(ex.gatewayMillis()), ex.streamedRequest(),
                hit.original().promptTokens(), hit.original().outputTokens());
    }

    static LedgerRecord toRecord(Exchange ex, Attempt a) {
        Identity who = ex.identity();
        String error = a.errorType() != null ? a.errorType() : ex.clientGone() ? "client_closed" : null;
        return new LedgerRecord(ex.requestId(), a.number(), a.startedAt(),
                who == null ? null : who.keyId(), who == null ? null : who.keyAlias(),
                who == null ? null : who.userId(), who == null ? null : who.teamId(), who == null ? null : who.orgId(),
                who == null ? null : who.tags(), ex.sessionId(), ex.client(), ex.operation().label(),
                ex.facts().model(), a.servedModel(), a.target().provider(), a.upstreamKeyAlias(),
                a.status(), error, a.usage(), a.usageEstimated(), a.cost().nanoUsd(),
                a.cost().providerCacheSavingsNanoUsd(), 0, ex.cacheStatus(),
                a.durationMillis(), a.ttfbMillis(), Math.round(ex.gatewayMillis()), ex.streamedRequest(), ex.get(GUARD_VERDICT));
    }
}
