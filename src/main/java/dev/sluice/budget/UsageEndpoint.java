package dev.sluice.budget;

import dev.sluice.authenticate.Callers;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.Level;
import dev.sluice.budget.rules.Period;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.Identity;
import dev.sluice.respond.Replies;
import dev.sluice.signin.Signin;
import dev.sluice.signin.usage.SignedInUsage;
import dev.sluice.signin.usage.UsageDocument;
import dev.sluice.signin.usage.UsageStanding;
import dev.sluice.wire.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/oauth/usage}: the caller's standing in the shape Claude Code's {@code /usage} screen reads, from
 * the live counters ({@link BudgetEngine#status}) and through the same choice of budget ({@link StandingPick}) and
 * rendering ({@link UsageDocument}) as the usage headers, so the two agree to the second on the reset. A caller
 * without a dollar budget gets the month's, week's and day's spend of their key from the ledger (read off the
 * event loop) with null limits. A signed-in developer's answer is sign-in's to render ({@link SignedInUsage}), from the
 * standings just read here (and, without a cap, the spend just read), so headers and this document agree.
 */
public final class UsageEndpoint {
    private final Vertx vertx;
    private final LiveConfig live;
    private final Callers callers;
    private final Supplier<BudgetEngine> engine;
    private final LedgerSpend ledger;
    private final Clock clock;
    private final BudgetStandings standings;
    private final Signin signin;

    UsageEndpoint(Vertx vertx, LiveConfig live, Callers callers, Supplier<BudgetEngine> engine, LedgerSpend ledger, Clock clock,
                  BudgetStandings standings, Signin signin) {
        this.standings = standings;
        this.signin = signin;
        this.vertx = vertx;
        this.live = live;
        this.callers = callers;
        this.engine = engine;
        this.ledger = ledger;
        this.clock = clock;
    }

    ExtraRoute route() {
        return new ExtraRoute("/api/oauth/usage", this::handle);
    }

    private void handle(HttpServerRequest req) {
        Identity who;
        try {
            who = callers.identify(live.current(), req.headers());
        } catch (ApiError e) {
            Replies.send(req.response(), e);
            return;
        }
        BudgetEngine.onCaller(engine.get().status(who)).onComplete(ar -> {
            if (ar.failed()) {
                Replies.send(req.response(), new ApiError(503, "api_error", "budget counters unreachable; try again shortly", true, null));
                return;
            }
            standings.put(who, ar.result());
            UsageStanding s = StandingPick.usage(ar.result());
            boolean signedIn = signin != null && SignedInUsage.signedIn(who);
            if (s != null) {
                if (signedIn) {
                    signin.usage().answer(req, who);
                } else {
                    send(req, UsageDocument.capped(s).toString());
                }
                return;
            }
            vertx.executeBlocking(() -> uncapped(who), false).onComplete(spend -> {
                if (spend.failed()) {
                    Replies.send(req.response(), ApiError.internal("usage could not be read from the ledger"));
                } else if (signedIn) {
                    standings.spend(who, spend.result());
                    signin.usage().answer(req, who);
                } else {
                    send(req, UsageDocument.uncapped(spend.result()).toString());
                }
            });
        });
    }

    private static void send(HttpServerRequest req, String body) {
        if (!req.response().ended()) {
            req.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(body);
        }
    }

    /**
     * This month's, this week's (from Monday) and today's spend of the caller's key, over the calendar periods budgets
     * count in ({@code budgets.time-zone}, UTC by default), so they reset when a budget of the same period would.
     */
    private UsageDocument.Uncapped uncapped(Identity who) {
        Instant now = clock.instant();
        ZoneId zone = engine.get().rules().zone();
        Instant month = window(Period.Unit.MONTH, zone, now).start();
        Instant week = window(Period.Unit.WEEK, zone, now).start();
        Instant from = month.isBefore(week) ? month : week;
        return periods(ledger.sums(Level.KEY, null, who.keyId(), from, now.plusSeconds(1), LedgerSpend.QUARTER_HOUR_MS), now, zone);
    }

    /** Quarter-hour sums ({@link LedgerSpend#QUARTER_HOUR_MS}) added into the month, week and day that hold {@code now} in {@code zone}. */
    static UsageDocument.Uncapped periods(List<LedgerSpend.Row> quarters, Instant now, ZoneId zone) {
        Period.Window month = window(Period.Unit.MONTH, zone, now);
        Period.Window week = window(Period.Unit.WEEK, zone, now);
        Period.Window day = window(Period.Unit.DAY, zone, now);
        long m = 0;
        long w = 0;
        long d = 0;
        for (LedgerSpend.Row r : quarters) {
            Instant at = Instant.ofEpochMilli(r.bucket() * LedgerSpend.QUARTER_HOUR_MS);
            m += within(month, at) ? r.costNanoUsd() : 0;
            w += within(week, at) ? r.costNanoUsd() : 0;
            d += within(day, at) ? r.costNanoUsd() : 0;
        }
        return new UsageDocument.Uncapped(m, d, w);
    }

    private static Period.Window window(Period.Unit unit, ZoneId zone, Instant now) {
        return new Period.Calendar(unit, zone).window(now);
    }

    private static boolean within(Period.Window w, Instant at) {
        return !at.isBefore(w.start()) && at.isBefore(w.end());
    }
}
