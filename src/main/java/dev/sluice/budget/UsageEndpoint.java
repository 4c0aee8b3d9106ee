package dev.sluice.budget;

import dev.sluice.authenticate.Callers;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.Level;
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
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
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
    private static final long DAY_MS = 86_400_000L;

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

    /** This month's, this week's (from Monday) and today's spend of the caller's key, UTC. */
    private UsageDocument.Uncapped uncapped(Identity who) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate month = today.withDayOfMonth(1);
        LocalDate week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate from = month.isBefore(week) ? month : week;
        long m = 0;
        long w = 0;
        long d = 0;
        for (LedgerSpend.Row r : ledger.sums(Level.KEY, null, who.keyId(), from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                now.plusSeconds(1), DAY_MS)) {
            LocalDate day = LocalDate.ofEpochDay(r.bucket());
            m += day.isBefore(month) ? 0 : r.costNanoUsd();
            w += day.isBefore(week) ? 0 : r.costNanoUsd();
            d += day.equals(today) ? r.costNanoUsd() : 0;
        }
        return new UsageDocument.Uncapped(m, d, w);
    }
}
