package dev.sluice.budget;

import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * Stops a capped caller at the line, before anything is forwarded, with the exact 429
 * {@code billing_error} Claude Code renders; tells capped callers where they stand on every
 * response; adds each exchange's settled cost to the month's counters.
 *
 * <p>The check reads spend already settled, so the overshoot of a cap is bounded by the requests in
 * flight at the moment it is crossed (reservations come with the budgets issue).
 */
public final class BudgetStage implements Stage {
    private static final Exchange.Key<Standing> STANDING = new Exchange.Key<>("budget-standing", Standing.class);

    private final CapSource caps;
    private final SpendCounters counters;
    private final Clock clock;

    public BudgetStage(CapSource caps, SpendCounters counters, Clock clock) {
        this.caps = caps;
        this.counters = counters;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "budget";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        Standing standing = standing(ex.identity());
        if (standing == null) {
            return CONTINUE;
        }
        if (standing.exceeded()) {
            throw new ApiError(429, "billing_error", standing.blockedMessage(), false, standing.headers(clock.instant()));
        }
        ex.put(STANDING, standing);
        return CONTINUE;
    }

    /** Headers include this exchange's own cost when it is already known (non-streaming replies). */
    @Override
    public void onResponse(Exchange ex) {
        if (ex.get(STANDING) == null) {
            return;
        }
        Standing now = standing(ex.identity(), ex.cost().nanoUsd());
        if (now != null) {
            now.servedHeaders(clock.instant()).forEach((k, v) -> ex.responseHeaders().set(k, v));
        }
    }

    @Override
    public void onComplete(Exchange ex) {
        Identity who = ex.identity();
        long cost = ex.cost().nanoUsd();
        if (who == null || cost == 0 || who.isOpen()) {
            return;
        }
        counters.add(SpendCounters.keyScope(who.keyId()), cost);
        if (who.userId() != null) {
            counters.add(SpendCounters.userScope(who.userId()), cost);
        }
    }

    /** The tightest of the caller's caps, or null when none applies. */
    public Standing standing(Identity who) {
        return standing(who, 0);
    }

    private Standing standing(Identity who, long pendingNano) {
        if (who == null || who.isOpen()) {
            return null;
        }
        MonthlyCaps c = caps.caps(who);
        if (c == null || c.isEmpty()) {
            return null;
        }
        Standing best = null;
        if (c.keyUsd() != null) {
            best = Standing.of("key", pendingNano + counters.spent(SpendCounters.keyScope(who.keyId())), c.keyUsd(), counters.month());
        }
        if (c.userUsd() != null && who.userId() != null) {
            Standing user = Standing.of("user", pendingNano + counters.spent(SpendCounters.userScope(who.userId())), c.userUsd(), counters.month());
            best = best == null || tighter(user, best) ? user : best;
        }
        return best;
    }

    private static boolean tighter(Standing a, Standing b) {
        if (a.exceeded() != b.exceeded()) {
            return a.exceeded();
        }
        return a.utilization() > b.utilization();
    }
}
