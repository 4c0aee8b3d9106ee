package dev.sluice.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.budget.alert.LedgerHistory;
import dev.sluice.budget.engine.BudgetEngine;
import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.forecast.Forecast;
import dev.sluice.budget.forecast.Forecaster;
import dev.sluice.budget.history.LedgerSpend;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRule;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.budget.rules.BudgetsConfig.BudgetConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.identity.IdentityStore;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the admin API's budget endpoints do (they only route and authorize): list the budgets in force and where
 * each comes from, set or remove one (validated against everything else in force, child-larger-than-parent reported
 * as a warning, recorded in the audit log with who did it), and where a caller stands on each budget with a forecast
 * of the period's end. Blocking (database, ledger): runs on the admin API's workers.
 */
public final class BudgetAdmin {
    private static final long STATUS_WAIT_SECONDS = 10; // more than a new budget's seed may hold it (BudgetEngine.SEED_WAIT)
    private final LiveConfig live;
    private final EffectiveBudgets effective;
    private final ManagedBudgets managed;
    private final Supplier<BudgetEngine> engine;
    private final IdentityStore identities;
    private final ChangeLog changes;
    private final LedgerSpend ledger;
    private final Clock clock;

    BudgetAdmin(LiveConfig live, EffectiveBudgets effective, ManagedBudgets managed, Supplier<BudgetEngine> engine,
                IdentityStore identities, ChangeLog changes, LedgerSpend ledger, Clock clock) {
        this.live = live;
        this.effective = effective;
        this.managed = managed;
        this.engine = engine;
        this.identities = identities;
        this.changes = changes;
        this.ledger = ledger;
        this.clock = clock;
    }

    private BudgetsPart.Section section() {
        return live.current().get(BudgetsPart.PART);
    }

    /** Every budget in force, with its source ({@code config} or {@code admin}), and the warnings of the whole set. */
    public ObjectNode list() {
        managed.refresh();
        BudgetSet set = effective.rules(section());
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("budgets");
        ManagedBudgets.View view = managed.view();
        set.rules().forEach(r -> list.add(source(describe(r), view.entries().get(r.name()))));
        set.warnings().forEach(out.putArray("warnings")::add);
        return out;
    }

    /** One budget in force, with its definition when it was set through the admin API. */
    public ObjectNode get(String name) {
        BudgetRule r = effective.rules(section()).rule(name);
        if (r == null) {
            throw ApiError.notFound("No budget '" + name + "' is in force (GET /admin/budgets lists them)");
        }
        ManagedBudgets.Entry e = managed.view().entries().get(name);
        ObjectNode out = source(describe(r), e);
        if (e != null) {
            try {
                out.set("definition", Json.MAPPER.readTree(e.spec()));
            } catch (IOException ex) {
                out.put("definition", e.spec());
            }
        }
        return out;
    }

    /**
     * Sets budget {@code name} from a JSON object with the keys of a {@code budgets.list} entry ({@code name} may be
     * left out; if given it must match). Refused with every problem named when it does not validate with the budgets
     * in force; applied on this replica at once and on others within {@value ManagedBudgets#POLL_SECONDS} s.
     */
    public ObjectNode set(String who, String name, byte[] body) {
        managed.refresh();
        ObjectNode def = definition(name, body);
        String spec = def.toString();
        BudgetConfig parsed;
        BudgetSet checked;
        try {
            parsed = BudgetRules.parseEntry("budget '" + name + "'", spec);
            List<BudgetConfig> others = new ArrayList<>();
            managed.view().entries().values().stream().filter(e -> !e.name().equals(name)).forEach(e -> others.add(e.config()));
            checked = checked(others, parsed, new IdentityHierarchy(identities));
        } catch (BudgetConfigException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        boolean created = !managed.view().entries().containsKey(name);
        boolean overrides = section().config().list().stream().anyMatch(b -> b != null && name.equals(b.name()));
        managed.put(name, spec, who, clock.instant());
        changes.changed(who, "budget.set", name, spec);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("budget", name).put("created", created).put("overrides_config", overrides);
        out.set("in_force", describe(checked.rule(name)));
        ArrayNode warnings = out.putArray("warnings");
        checked.warnings().stream().filter(w -> w.contains("'" + name + "'")).forEach(warnings::add);
        return out;
    }

    /**
     * {@code parsed} compiled with the section and the other stored budgets in force. A stored one that no longer fits
     * is left out where budgets are applied ({@link EffectiveBudgets}), so here too: it must not refuse every other
     * change until someone finds it (round 23).
     */
    private BudgetSet checked(List<BudgetConfig> others, BudgetConfig parsed, IdentityHierarchy hierarchy) {
        List<BudgetConfig> all = new ArrayList<>(others);
        all.add(parsed);
        try {
            return EffectiveBudgets.compile(section().config(), all, hierarchy);
        } catch (BudgetConfigException e) {
            List<BudgetConfig> fit = new ArrayList<>(EffectiveBudgets.fitting(section().config(), others, hierarchy, (b, why) -> { }));
            if (fit.size() == others.size()) {
                throw e; // the others all fit: the problem is this budget's
            }
            fit.add(parsed);
            return EffectiveBudgets.compile(section().config(), fit, hierarchy);
        }
    }

    /** Removes an admin-set budget (a configured one of the same name applies again). */
    public ObjectNode delete(String who, String name) {
        managed.refresh();
        ManagedBudgets.Entry e = managed.view().entries().get(name);
        if (e == null || !managed.remove(name)) {
            boolean configured = section().config().list().stream().anyMatch(b -> b != null && name.equals(b.name()));
            throw configured ? new ApiError(409, "invalid_request_error", "budget '" + name
                    + "' is defined in the configuration file; change it there and reload", false, null)
                    : ApiError.notFound("No budget '" + name + "' was set through the admin API");
        }
        changes.changed(who, "budget.delete", name, e.spec());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("budget", name).put("deleted", true);
        return out;
    }

    /**
     * The engine's standings, waited for the way a worker thread may: the admin API runs this on a Vert.x worker,
     * where {@code Future.await} refuses to suspend (with in-memory counters the future was already complete and the
     * difference never showed; with Redis it always answered 500). Bounded, and a store that cannot answer is a 503.
     */
    private List<BudgetStanding> standings(Identity who) {
        try {
            return engine.get().status(who).toCompletionStage().toCompletableFuture().get(STATUS_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "api_error", "budget counters did not answer: interrupted", true, null);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ApiError(503, "api_error", "budget counters did not answer (" + cause.getClass().getSimpleName()
                    + "); try again when the counters' store is back", true, null);
        }
    }

    /** Where the caller described by {@code who} stands on every budget that applies, with forecasts. */
    public ObjectNode status(Identity who) {
        List<BudgetStanding> standings = standings(who);
        BudgetSet set = engine.get().rules();
        LedgerHistory history = new LedgerHistory(ledger, set.zone());
        ZonedDateTime now = clock.instant().atZone(set.zone());
        ObjectNode out = Json.MAPPER.createObjectNode();
        // The caller the standings are for, by its parts (not a Java record's toString): only what was asked about.
        ObjectNode whoNode = out.putObject("who");
        putIf(whoNode, "key", "(status)".equals(who.keyId()) ? null : who.keyId());
        putIf(whoNode, "user", who.userId());
        putIf(whoNode, "team", who.teamId());
        putIf(whoNode, "org", who.orgId());
        if (!who.tags().isEmpty()) {
            who.tags().forEach(whoNode.putObject("tags")::put);
        }
        ArrayNode list = out.putArray("standings");
        for (BudgetStanding s : standings) {
            ObjectNode n = list.addObject();
            double scale = s.metric().money() ? 1e9 : 1;
            n.put("budget", s.budget()).put("scope", s.scopeText()).put("line", s.line()).put("metric", s.metric().label())
                    .put("amount", s.amount() / scale).put("spent", s.settled() / scale).put("reserved", s.reserved() / scale)
                    .put("percent", Math.round(s.utilization() * 1000) / 10.0).put("period", s.period())
                    .put("resets_at", s.resetsAt().toString()).put("blocked", s.blocked()).put("shared", s.sharedPool());
            BudgetRule rule = rule(set, s.budget());
            if (rule != null && "budget".equals(s.line()) && s.calendar()) {
                LocalDate today = now.toLocalDate();
                Map<LocalDate, Long> daily = history.daily(rule, s.entity(), s.metric(), today.minusDays(Forecaster.HISTORY_DAYS), today);
                LocalDate end = s.resetsAt().atZone(set.zone()).toLocalDate();
                Forecast f = Forecaster.project(daily, s.settled(), today, now.toLocalTime().toSecondOfDay() / 86_400.0, end);
                n.putObject("forecast").put("period_end", f.projected() / scale).put("low", f.low() / scale).put("high", f.high() / scale)
                        .put("confidence", 0.9).put("trend_vs_previous_7d", Double.isNaN(f.trend()) ? null : f.trend())
                        .put("days_of_data", f.daysOfData());
            }
        }
        return out;
    }

    /** Builds the identity a status query describes: a key's own, or a user's, team's or org's with its parents. */
    public Identity who(String key, String user, String team, String org, Map<String, String> tags) {
        if (key != null) {
            var k = identities.key(key);
            var u = identities.user(k.userId());
            var t = identities.team(u.teamId());
            return new Identity(k.id(), k.alias(), u.id(), t.id(), t.orgId(), tags.isEmpty() ? k.tags() : tags);
        }
        if (user != null) {
            var u = identities.user(user);
            var t = identities.team(u.teamId());
            return new Identity("(status)", "(status)", u.id(), t.id(), t.orgId(), tags);
        }
        if (team != null) {
            var t = identities.team(team);
            return new Identity("(status)", "(status)", null, t.id(), t.orgId(), tags);
        }
        if (org != null || !tags.isEmpty()) {
            return new Identity("(status)", "(status)", null, null, org == null ? tagOrg() : identities.org(org).id(), tags);
        }
        throw ApiError.invalidRequest("status of whom? (expected one of: key=ID, user=ID, team=ID, org=ID, or tag=name=value)");
    }

    /**
     * The org a tag's standing is read in when none was named. Tag budgets count per org (the counters' tenant), and a
     * tag asked about alone was read in no org's: {@code status?tag=feature=x} said $0 spent of a budget that was
     * refusing requests (round 23). With one org that is the one; with several the caller must say which.
     */
    private String tagOrg() {
        var orgs = identities.orgs();
        if (orgs.size() > 1) {
            throw ApiError.invalidRequest("tag budgets count per org: add org=ID (one of: "
                    + orgs.stream().limit(10).map(o -> o.id()).toList() + (orgs.size() > 10 ? ", ..." : "") + ")");
        }
        return orgs.isEmpty() ? null : orgs.getFirst().id(); // no org at all: callers with static keys, counted in none
    }

    private static BudgetRule rule(BudgetSet set, String name) {
        BudgetRule r = set.rule(name);
        return r != null ? r : CapBudgets.USER.equals(name) || CapBudgets.KEY.equals(name) ? capTemplate(name) : null;
    }

    private static BudgetRule capTemplate(String name) {
        return new CapBudgets(k -> null).templates().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    private static ObjectNode definition(String name, byte[] body) {
        if (!RULE_NAME.matcher(name).matches()) {
            throw ApiError.invalidRequest("budget name '" + name + "' (expected: 1-64 letters, digits, '_', '.', '-')");
        }
        if (CapBudgets.USER.equals(name) || CapBudgets.KEY.equals(name)) {
            throw ApiError.invalidRequest("'" + name + "' is the name of the monthly caps on users and keys (expected: another name)");
        }
        JsonNode tree;
        try {
            tree = body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiError.invalidRequest("body: not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(tree instanceof ObjectNode def)) {
            throw ApiError.invalidRequest("body: expected a JSON object with the keys of a budgets.list entry "
                    + "(level, id, usd and/or tokens, period, thresholds, ...)");
        }
        JsonNode given = def.get("name");
        if (given != null && !name.equals(given.asText())) {
            throw ApiError.invalidRequest("name: '" + given.asText() + "' in the body, '" + name + "' in the path (expected: the same)");
        }
        ObjectNode named = Json.MAPPER.createObjectNode().put("name", name);
        def.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("name")) {
                named.set(f.getKey(), f.getValue());
            }
        });
        return named;
    }

    private static final java.util.regex.Pattern RULE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private static ObjectNode source(ObjectNode n, ManagedBudgets.Entry e) {
        n.put("source", e == null ? "config" : "admin");
        if (e != null) {
            n.put("updated_by", e.updatedBy()).put("updated_at", e.updatedAt().toString());
        }
        return n;
    }

    private static ObjectNode describe(BudgetRule r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", r.name()).put("level", r.level().label()).put("id", r.tagName() == null ? r.id() : r.tagName() + "=" + r.id())
                .put("period", r.period().label());
        ArrayNode limits = n.putArray("limits");
        r.limits().forEach(l -> limits.addObject().put("metric", l.metric().label())
                .put("amount", l.metric().money() ? l.amount() / 1e9 : l.amount()));
        ArrayNode th = n.putArray("thresholds");
        r.thresholds().forEach(t -> th.addObject().put("at", t.percent()).put("action", t.action().label()));
        if (!r.degrade().isEmpty()) {
            r.degrade().forEach(n.putArray("degrade")::add);
        }
        n.putObject("owner").put("contact", r.owner().contact()).set("sinks", Json.MAPPER.valueToTree(r.owner().sinks()));
        if (r.pool() != null) {
            n.put("pool", true);
        }
        return n;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
