package dev.sluice.budget;

import dev.sluice.authenticate.Callers;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.CutRequests;
import dev.sluice.budget.engine.Pricing;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.Owner;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.ExtraRoute;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Stage;
import dev.sluice.signin.usage.StandingSource;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Budgets as the gateway runs them, assembled once with the other long-lived parts:
 *
 * <pre>{@code
 * Budgeting b = Budgeting.start(live, vertx, pricing, db.dataSource(), db.isPostgres(), registry::caps, clock);
 * stages:        ... route, b.stage(), record ...
 * extra routes:  b.usageRoute(callers, signin)             GET /api/oauth/usage
 * admin API:     b.admin(identities, changeLog)            /admin/budgets...
 * sign-in:       signin.standings(b.standings())           usage headers and the 429 for signed-in developers
 * routing:       b.state()                                 BudgetState for rules that route on a caller's budget
 * metrics:       b.readings()
 * shutdown:      b.close() before the ledger
 * }</pre>
 *
 * A reload applies the section's new rules, sinks, rate limits and fair-queue sizes; counters survive it.
 */
public final class Budgeting implements AutoCloseable {
    private final Budgets budgets;
    private final ManagedBudgets managed;
    private final EffectiveBudgets effective;
    private final CapBudgets caps;
    private final InputTokens inputs = new InputTokens();
    private final BudgetStandings standings;
    private final BudgetStage stage;
    private final LiveConfig live;
    private final Vertx vertx;
    private final LedgerSpend ledger;
    private final Clock clock;

    private Budgeting(LiveConfig live, Vertx vertx, Budgets budgets, ManagedBudgets managed, CapBudgets caps, LedgerSpend ledger,
                      Clock clock) {
        this.live = live;
        this.vertx = vertx;
        this.budgets = budgets;
        this.managed = managed;
        this.caps = caps;
        this.ledger = ledger;
        this.clock = clock;
        this.effective = new EffectiveBudgets(budgets, managed);
        this.standings = new BudgetStandings(this::engine, clock);
        this.stage = new BudgetStage(effective, budgets, inputs, standings);
    }

    /**
     * Starts budgets from the live configuration's {@code budgets:} section (blocking: connects to Redis when
     * configured, rebuilds counters from the ledger, reads admin-set budgets) and follows its reloads.
     *
     * @param caps a key id's monthly caps, from memory (the key registry)
     */
    public static Budgeting start(LiveConfig live, Vertx vertx, Pricing pricing, DataSource db, boolean postgres,
                                  Function<Identity, MonthlyCaps> caps, Clock clock) {
        return start(live, vertx, pricing, db, postgres, caps, clock, () -> true);
    }

    /**
     * As {@link #start(LiveConfig, Vertx, Pricing, DataSource, boolean, Function, Clock)}; rebuilds and seeds from the
     * ledger first wait for {@code ledgerCaughtUp} (its table holding what its journal does; a bounded wait, true when
     * it does), and top the counters up with what the journal held once it has caught up when it had not.
     */
    public static Budgeting start(LiveConfig live, Vertx vertx, Pricing pricing, DataSource db, boolean postgres,
                                  Function<Identity, MonthlyCaps> caps, Clock clock, java.util.function.BooleanSupplier ledgerCaughtUp) {
        Snapshot now = live.current();
        BudgetsPart.Section section = now.get(BudgetsPart.PART);
        CapBudgets capBudgets = new CapBudgets(caps);
        capBudgets.owner(capOwner(section));
        Budgets budgets = Budgets.start("sluice.yaml", section.config(), vertx, pricing, db, postgres, clock, capBudgets,
                ledgerCaughtUp);
        ManagedBudgets managed;
        try {
            managed = ManagedBudgets.open(db, true);
        } catch (RuntimeException e) {
            budgets.close();
            throw e;
        }
        Budgeting b = new Budgeting(live, vertx, budgets, managed, capBudgets, new LedgerSpend(db, postgres), clock);
        b.effective.engine(now);
        live.onApplied(b::applied);
        return b;
    }

    /** A reload was applied: new sinks, rate limits, fair-queue sizes and cap owner now; the rules on the next request. */
    private void applied(Snapshot s) {
        BudgetsPart.Section section = s.get(BudgetsPart.PART);
        budgets.apply("sluice.yaml", section.config());
        caps.owner(capOwner(section));
        effective.engine(s);
    }

    /** Monthly caps tell developers to ask the section's contact, and alert the section's default sinks. */
    private static Owner capOwner(BudgetsPart.Section section) {
        var a = section.config().alerts();
        List<String> sinks = a.defaultSinks() != null ? a.defaultSinks()
                : a.sinks() == null ? List.of() : a.sinks().stream().map(x -> x.name()).toList();
        return new Owner(section.rules().contact(), sinks);
    }

    /**
     * Settles the requests the last run left unsettled (a kill) with what the ledger holds for them, when the counters
     * outlived that run; blocking, at start, after the ledger took the restart's records. See {@link CutRequests}.
     */
    public void settleCut(List<CutRequests.Cut> cut) {
        if (!cut.isEmpty() && budgets.countersOutlivedLastRun()) {
            CutRequests.settle(engine(), ledger, cut, java.time.Duration.ofSeconds(10));
        }
    }

    /**
     * The moment before which the ledger's records are in the counters because they were rebuilt from it (in memory, at
     * start), or 0 when the counters outlived the last run; charging such a record again counts it twice.
     */
    public long ledgerCountedBefore() {
        return budgets.ledgerCountedBefore();
    }

    /** Input tokens counted from request bytes, with the ratios learned from what upstreams billed. */
    public InputTokens inputTokens() {
        return inputs;
    }

    public BudgetEngine engine() {
        return effective.engine(live.current());
    }

    public Stage stage() {
        return stage;
    }

    /** {@code GET /api/oauth/usage}; signed-in developers' answers are rendered by {@code signin} (null when off). */
    public ExtraRoute usageRoute(Callers callers, dev.sluice.signin.Signin signin) {
        return new UsageEndpoint(vertx, live, callers, this::engine, ledger, clock, standings, signin).route();
    }

    /** For sign-in's usage headers and its 429 ({@code signin.standings(...)}). */
    public StandingSource standings() {
        return standings;
    }

    /** For routing rules that route on a caller's budget. */
    public BudgetState state() {
        return standings;
    }

    /** What the admin API's budget endpoints call. */
    public BudgetAdmin admin(IdentityStore identities, ChangeLog changes) {
        return new BudgetAdmin(live, effective, managed, this::engine, identities, changes, ledger, clock);
    }

    /** Numbers for {@code /metrics}: the engine's decisions, the stage's let-through rate-limit errors, alerts. */
    public List<Reading> readings() {
        var m = budgets.metrics();
        var alerts = budgets.alerts();
        return List.of(
                new Reading("sluice.budget.admitted", "Attempts admitted by the budgets", m::admitted),
                new Reading("sluice.budget.blocked", "Attempts refused: a budget was spent (billing_error)", m::blocked),
                new Reading("sluice.budget.in.flight.refusals", "Attempts refused while in-flight worst cases could cross a line",
                        m::inFlightRefusals),
                new Reading("sluice.budget.unavailable", "Attempts refused: counters unreachable and fail-closed", m::unavailable),
                new Reading("sluice.budget.degraded", "Attempts served by a cheaper model", m::degraded),
                new Reading("sluice.budget.duplicate.settles", "Settles ignored as already settled", m::duplicateSettles),
                new Reading("sluice.budget.settle.errors", "Settles that could not reach the counters", m::settleErrors),
                new Reading("sluice.budget.over.bound", "Attempts that cost more than their reserved worst case", m::overBound),
                new Reading("sluice.budget.threshold.crossings", "Threshold crossings reported (once across replicas)", m::crossings),
                new Reading("sluice.budget.alerts.failed", "Alerts that could not be delivered", alerts::failed),
                new Reading("sluice.budget.alerts.dropped", "Alerts dropped: the alert queue was full", alerts::dropped),
                new Reading("sluice.budget.lease.admitted", "Attempts admitted from this replica's lease, without a Redis call",
                        () -> budgets.leaseAdmissions()[0]),
                new Reading("sluice.budget.lease.exact", "Attempts reserved in Redis one by one while leases are on (near the line, "
                        + "no lease yet)", () -> budgets.leaseAdmissions()[1]),
                new Reading("sluice.budget.redis.failures", "Counter calls to Redis that failed (fail-open: counted locally)",
                        budgets::counterFailures),
                new Reading("sluice.ratelimit.errors", "Rate-limit checks that failed and were let through", stage::limiterErrors));
    }

    /**
     * A monotonic count for {@code /metrics} ({@code _total} is appended).
     *
     * @param name dotted, as the telemetry readings take it
     */
    public record Reading(String name, String description, Supplier<Number> value) {
    }

    /** Before the ledger closes: stops polling, alert workers and the counter connections. */
    @Override
    public void close() {
        managed.close();
        budgets.close();
    }
}
