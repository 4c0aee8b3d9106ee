package dev.sluice.record;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import java.time.Instant;

/**
 * Record: writes the exchange's upstream attempt to the ledger once the exchange is over, whatever
 * happened (success, upstream error, cut stream, client gone). Requests that never reached an
 * upstream (bad input, bad key, over budget) cost nothing and are left to the audit log.
 */
public final class RecordStage implements Stage {
    private final Ledger ledger;

    public RecordStage(Ledger ledger) {
        this.ledger = ledger;
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
        ledger.append(toRecord(ex));
    }

    static LedgerRecord toRecord(Exchange ex) {
        Identity who = ex.identity();
        long total = ex.totalMillis();
        Instant time = Instant.now().minusMillis(total);
        String error = ex.errorType() != null ? ex.errorType() : ex.clientGone() ? "client_closed" : null;
        return new LedgerRecord(ex.requestId(), ex.attempts(), time,
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
