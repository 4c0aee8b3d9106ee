package dev.sluice.record;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import io.vertx.core.Future;
import java.time.Instant;

/**
 * Record: writes the exchange's upstream attempt to the ledger once the exchange is over, whatever
 * happened (success, upstream error, cut stream, client gone), and notes each attempt before it is
 * sent ({@link InFlightAttempts}) so a gateway crash cannot make one vanish. Requests that never
 * reached an upstream (bad input, bad key, over budget) cost nothing and are left to the audit log.
 */
public final class RecordStage implements Stage {
    private final Ledger ledger;
    private final InFlightAttempts inFlight;

    public RecordStage(Ledger ledger, InFlightAttempts inFlight) {
        this.ledger = ledger;
        this.inFlight = inFlight;
    }

    /** Runs right before the forwarder: notes the attempt so a crash cannot make it vanish. */
    @Override
    public Future<Void> onRequest(Exchange ex) {
        inFlight.begin(toRecord(ex, ex.attempts() + 1));
        return CONTINUE;
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public void onComplete(Exchange ex) {
        if (ex.attempts() == 0) {
            return;
        }
        ledger.append(toRecord(ex, ex.attempts()));
        inFlight.end(ex.requestId(), ex.attempts());
    }

    static LedgerRecord toRecord(Exchange ex, int attempt) {
        Identity who = ex.identity();
        long total = ex.totalMillis();
        Instant time = Instant.now().minusMillis(total);
        String error = ex.errorType() != null ? ex.errorType() : ex.clientGone() ? "client_closed" : null;
        return new LedgerRecord(ex.requestId(), attempt, time,
                who == null ? null : who.keyId(), who == null ? null : who.keyAlias(),
                who == null ? null : who.userId(), who == null ? null : who.teamId(), who == null ? null : who.orgId(),
                who == null ? null : who.tags(), ex.sessionId(), ex.client(), ex.endpoint().name().toLowerCase(),
                ex.facts().model(), ex.target() == null ? null : ex.target().servedModel(),
                ex.target() == null ? null : ex.target().provider(), ex.upstreamKeyAlias(),
                ex.status(), error, ex.usage(), ex.usageEstimated(), ex.cost().nanoUsd(),
                ex.cost().providerCacheSavingsNanoUsd(), 0, ex.cacheStatus(),
                total, ex.upstreamTtfbMillis(), Math.round(ex.gatewayMillis()), ex.streaming());
    }
}
