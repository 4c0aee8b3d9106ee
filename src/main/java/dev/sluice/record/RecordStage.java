package dev.sluice.record;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;

/**
 * Record: exactly one ledger record per upstream attempt, whatever happened to it (answered,
 * retried, failed, cut, client gone, gateway killed).
 *
 * <ol>
 *   <li>Before an attempt is sent, its skeleton goes into an in-flight slot ({@link InFlightAttempts}),
 *       so a crash cannot make it vanish.</li>
 *   <li>As a streamed answer reports usage ({@code message_start}, {@code message_delta}), the slot is
 *       rewritten with the usage so far, so a crash bills at least what the upstream had reported; each output
 *       delta relayed in between is counted into the slot too (two stores), so a crash also bills at least the
 *       output the client already had.</li>
 *   <li>When the attempt ends (before its answer's last byte reaches the client), its record is
 *       appended to the ledger's journal and the slot is freed; while the journal's disk is full and the ledger holds
 *       the record in memory, the slot keeps the final record until the journal takes it.</li>
 * </ol>
 * Requests that never reached an upstream (bad input, bad key, over budget) make no attempt and cost
 * nothing; the audit log has them. An answer from the gateway's response cache is the one exception: it
 * is recorded as attempt 0 ({@link CacheHitRecord}), so reports can count hits and what they saved.
 */
public final class RecordStage implements Stage {
    /** The in-flight slot of the exchange's current attempt, which its relayed output is counted into. */
    private static final Exchange.Key<InFlightAttempts.Progress> SLOT =
            new Exchange.Key<>("in-flight slot", InFlightAttempts.Progress.class);

    /**
     * The guard stage's verdict on a request it let through (issue 12), for this stage's records and the
     * telemetry: set by {@code dev.sluice.guard.stage.GuardStage}, read here so the record package needs no guard types.
     */
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
        InFlightAttempts.Progress slot = inFlight.begin(toRecord(ex, attempt));
        if (slot != null) {
            ex.put(SLOT, slot);
        } else if (ex.get(SLOT) != null) {
            ex.put(SLOT, null); // not the previous attempt's, whose slot may serve another attempt by now
        }
    }

    @Override
    public SseEvent onEvent(Exchange ex, SseEvent event) {
        String type = event.type();
        if (type.equals("content_block_delta")) {
            // The hot path: a kill -9 must bill at least the output relayed so far, so each delta is counted into the
            // slot (two stores into the mapping, no encoding). The record itself is rewritten only on usage reports.
            InFlightAttempts.Progress slot = ex.get(SLOT);
            if (slot != null) {
                inFlight.relayed(slot, StreamUsage.deltaPayloadBytes(event.raw(), event.dataStart(), event.dataLength()));
            }
        } else if (type.equals("message_start") || type.equals("message_delta")) {
            Attempt a = ex.lastAttempt();
            if (a != null && !a.ended()) {
                inFlight.update(toRecord(ex, a));
            }
        }
        return event;
    }

    @Override
    public void onAttemptEnd(Exchange ex, Attempt attempt) {
        try {
            if (!attempt.neverSent()) { // one record per upstream attempt: nothing was sent, nothing is billed
                LedgerRecord r = toRecord(ex, attempt);
                ledger.append(r);
                if (ledger.holding()) {
                    inFlight.endHeld(r); // the journal's disk is full: the slot stays the crash-safe copy
                }
            }
        } finally {
            inFlight.end(ex.requestId(), attempt.number()); // a no-op after endHeld
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
                a.durationMillis(), a.ttfbMillis(), Math.round(ex.gatewayMillis()), ex.streamedRequest(), 0, 0,
                ex.get(GUARD_VERDICT), a.cost().defaultPriced());
    }
}
