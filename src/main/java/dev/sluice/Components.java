package dev.sluice;

import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.authenticate.Callers;
import dev.sluice.authenticate.StaticKeys;
import dev.sluice.budget.Budgeting;
import dev.sluice.budget.BudgetsPart;
import dev.sluice.budget.engine.Pricing;
import dev.sluice.cache.stage.CacheReadings;
import dev.sluice.cache.stage.CacheRules;
import dev.sluice.cache.stage.CacheService;
import dev.sluice.cache.stage.SemanticReadings;
import dev.sluice.cache.stage.SemanticService;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.ConfigVersions;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.StoreConfig;
import dev.sluice.front.FrontStats;
import dev.sluice.front.openai.AutoBreakpoints;
import dev.sluice.front.openai.responses.ResponsesProtocol;
import dev.sluice.guard.CacheWriteGuard;
import dev.sluice.guard.GuardScanner;
import dev.sluice.guard.stage.GuardSettings;
import dev.sluice.guard.stage.GuardStage;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.Resolvers;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.inspect.BodyBudget;
import dev.sluice.inspect.InspectStage;
import dev.sluice.pipeline.Cost;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.Providers;
import dev.sluice.provider.catalog.ModelCatalog;
import dev.sluice.record.InFlightAttempts;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.Ledger;
import dev.sluice.record.LedgerSettings;
import dev.sluice.record.SpendReports;
import dev.sluice.respond.StreamSettings;
import dev.sluice.route.BudgetSignal;
import dev.sluice.route.Router;
import dev.sluice.route.RoutingState;
import dev.sluice.settle.Meter;
import dev.sluice.settle.SettleStage;
import dev.sluice.signin.Signin;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.trace.Telemetry;
import dev.sluice.upstream.UpstreamProtocol;
import dev.sluice.upstream.Upstreams;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The long-lived parts shared by every event loop: the live configuration, the database, the
 * ledger, budgets (counters, rate limits, alerts), key resolution, the response cache, telemetry. Opened
 * before the front starts (blocking work belongs here, not on an event loop) and closed after it stops, ledger
 * last so every record is flushed.
 */
final class Components implements AutoCloseable {
    /** The providers this gateway speaks, by the name upstreams give in {@code provider:}. */
    static final Map<String, UpstreamProtocol> PROVIDERS = Providers.protocols();

    final LiveConfig live;
    final Database database;
    final Ledger ledger;
    final InFlightAttempts inFlight;
    final SpendReports reports;
    final IdentityStore identities;
    final KeyRegistry registry;
    final Callers callers;
    /** Budgets, rate limits and fair queues; closed before the ledger. */
    final Budgeting budgets;
    final BodyBudget bodies;
    final FrontStats frontStats = new FrontStats();
    final CredentialGuesses adminGuesses = new CredentialGuesses();
    final Telemetry telemetry;
    /** Copies identity changes made beside the gateway (the CLI) into the audit log; null when there is none. */
    private final dev.sluice.identity.StoreChangeFeed storeChanges;
    /** Claude Code's gateway sign-in; null unless {@code signin.enabled}. */
    final Signin signin;
    /** Guardrails (issue 12): the scanners and what they remember of each conversation outlive reloads. */
    final GuardStage guard = new GuardStage(new GuardScanner());
    /** What routing learns while running (health, breakers, key load, sticky conversations); survives reloads. */
    final RoutingState routing;
    /** The response cache's store and statistics; started with the gateway's Vert.x. */
    final CacheService cache;
    /** The semantic cache behind it (its model opens when a configuration turns it on), feedback and signals. */
    final SemanticService semantic;
    /** Anthropic Message Batches: their calls, the store of whose each batch is, result billing and its sweeper. */
    final dev.sluice.batches.Batches batches;

    Components(SluiceConfig config, Path file, ConfigLoader loader, Clock clock, Vertx vertx) {
        Path dataDir = config.store().dataDir();
        this.database = Database.open(storeSettings(config.store()));
        // The journal's lock refuses a second gateway on this data dir: taken before a configuration version is written.
        JournaledLedger journaled;
        try {
            journaled = JournaledLedger.open(database, LedgerSettings.defaults(dataDir).withSyncInterval(config.store().journalSync()));
            this.ledger = journaled;
        } catch (RuntimeException e) {
            database.close(); // refused (another gateway's data dir): its pool must not keep touching the files
            throw e;
        }
        this.live = LiveConfig.start(config, file, loader, parts(), new ConfigVersions(dataDir));
        // Routing may match on where the caller stands against its budgets; the budgets start below, so look late.
        this.routing = new RoutingState(config, this::budgetLevel, clock::millis);
        live.onApplied(routing::applied);
        Meter meter = live.current().get(SettleStage.METER);
        this.inFlight = InFlightAttempts.open(dataDir, ledger, (model, usage) -> {
            Cost c = meter.cost(model, usage);
            return new long[] {c.nanoUsd(), c.providerCacheSavingsNanoUsd(), c.defaultPriced() ? 1 : 0};
        });
        this.reports = new SpendReports(database);
        this.identities = new IdentityStore(database, clock);
        this.registry = KeyRegistry.started(identities);
        this.signin = Signin.create(config.signin(), identities, database, clock); // sessions and keys live in the database
        this.callers = new Callers(Resolvers.firstOf(registry, Signin.resolver(signin)));
        live.opensWhen(callers::open); // issued keys and sign-in sessions close a gateway too: no reload may open it
        // Priced with the live price table, so a reload of prices reprices reservations too.
        Pricing pricing = (model, usage) -> live.current().get(SettleStage.METER).cost(model, usage).nanoUsd();
        // Rebuilds from the ledger must see the last run's records: they wait for its journal's backlog up to 10 s, and
        // past that count the table as it is and add the backlog once the ledger has written it (a database outage).
        this.budgets = Budgeting.start(live, vertx, pricing, database.dataSource(), database.isPostgres(), registry::caps, clock,
                () -> ledger.awaitFlushed(java.time.Duration.ofSeconds(10)));
        // Attempts a kill cut were recorded when the slots were read, and the last run's final minute is in its journal:
        // counters that outlived the kill (Redis) get what that run had not yet sent them (settled ones are duplicates).
        java.util.List<dev.sluice.record.LedgerRecord> cut = inFlight.takeRecovered();
        java.util.List<dev.sluice.record.LedgerRecord> unsent = new java.util.ArrayList<>(cut);
        unsent.addAll(journaled.takeLastRunsRecent());
        budgets.settleCut(unsent.stream().map(r -> new dev.sluice.budget.engine.CutRequests.Cut(r.requestId(),
                new dev.sluice.pipeline.Identity(r.keyId(), r.keyAlias(), r.userId(), r.teamId(), r.orgId(), r.tags()),
                r.servedModel())).toList());
        if (signin != null) {
            signin.standings(budgets.standings());
        }
        this.batches = dev.sluice.batches.Batches.start(vertx, live, callers, database.dataSource(), ledger, budgets::engine,
                budgets.inputTokens(), guard);
        batches.countedBefore(budgets::ledgerCountedBefore); // results read again after a kill are not charged twice
        if (budgets.ledgerCountedBefore() > 0) {
            // Counters rebuilt from the ledger at this start hold no trace of the holds of batches still running.
            batches.retakeHolds(java.time.Duration.ofSeconds(10));
        }
        if (signin != null) {
            batches.models(signin.batchModels()); // a batch passes no stage: each request meets the model policy there
        }
        this.bodies = new BodyBudget(config.server().bodiesInFlight().bytes());
        this.cache = new CacheService(config.cache());
        cache.shapes(dev.sluice.cache.learn.capture.ShapeCapture.open(config.cache().capture(), dataDir));
        // The guard keeps answers holding secrets, personal data its policy covers or injected instructions out of
        // the cache (served to the asker, never replayed), whenever guard.enabled is on in the version in force.
        CacheWriteGuard poisoning = new CacheWriteGuard(guard.scanner(), () -> live.current().get(GuardSettings.PART).defaultPolicy());
        cache.writeGuards().plug(new dev.sluice.cache.entry.WriteGuard() {
            @Override
            public String flag(String text) {
                return live.current().get(GuardSettings.PART).enabled() ? poisoning.flag(text) : null;
            }

            @Override
            public String flag(String text, dev.sluice.pipeline.Identity caller) {
                // The caller's tenant policy: a team that turns personal data on keeps such answers out of its org's cache.
                GuardSettings g = live.current().get(GuardSettings.PART);
                return g.enabled() ? poisoning.flag(text, g.writePolicy(caller)) : null;
            }
        });
        this.semantic = new SemanticService(cache, () -> live.current().get(CacheRules.PART), dataDir);
        live.onApplied(s -> semantic.applied());
        semantic.watch(live); // a version that changes the semantic section and makes answers worse is rolled back
        Telemetry.Builder metrics = Telemetry.builder(config.telemetry(), dataDir);
        budgets.readings().forEach(r -> metrics.reading(new Telemetry.Reading(r.name(), r.description(), true, r.value())));
        CacheReadings.all(cache).forEach(metrics::reading);
        if (signin != null) {
            signin.telemetryReadings().forEach(metrics::reading);
        }
        SemanticReadings.all(semantic).forEach(metrics::reading);
        this.telemetry = metrics.ledgerStats(ledger::stats)
                .reading(new Telemetry.Reading("sluice.connections.open", "Client connections open now", false, frontStats::open))
                .reading(new Telemetry.Reading("sluice.admin.credentials.refused", "Admin credentials refused", true,
                        adminGuesses::wrongTotal, "reason", "wrong"))
                .reading(new Telemetry.Reading("sluice.admin.credentials.refused", "Admin credentials refused", true,
                        adminGuesses::refusedTotal, "reason", "throttled"))
                .reading(new Telemetry.Reading("sluice.connections.closed", "Connections the gateway closed itself", true,
                        () -> frontStats.closed(FrontStats.Close.IDLE), "reason", FrontStats.Close.IDLE.label()))
                .reading(new Telemetry.Reading("sluice.connections.closed", "Connections the gateway closed itself", true,
                        () -> frontStats.closed(FrontStats.Close.HEADER_TIMEOUT), "reason", FrontStats.Close.HEADER_TIMEOUT.label()))
                .reading(new Telemetry.Reading("sluice.connections.closed", "Connections the gateway closed itself", true,
                        () -> frontStats.closed(FrontStats.Close.CAPACITY), "reason", FrontStats.Close.CAPACITY.label()))
                .reading(new Telemetry.Reading("sluice.connections.closed", "Connections the gateway closed itself", true,
                        () -> frontStats.closed(FrontStats.Close.EVICTED), "reason", FrontStats.Close.EVICTED.label()))
                .reading(new Telemetry.Reading("sluice.requests.invalid", "Requests the HTTP layer could not parse", true,
                        frontStats::invalidRequests))
                .reading(new Telemetry.Reading("sluice.requests.refused", "Unknown paths and wrong methods, refused by the front",
                        true, frontStats::refusedRequests))
                .reading(new Telemetry.Reading("sluice.batches.results.billed", "Succeeded Message Batch results billed", true,
                        batches::billedResults))
                .reading(new Telemetry.Reading("sluice.request.body.bytes", "Request body bytes held in memory now", false, bodies::held))
                .reading(new Telemetry.Reading("sluice.config.version", "The configuration version serving now", false,
                        () -> live.current().version()))
                // Guardrails (issue 12): counts only; which rules matched is in the ledger, the trace and the audit log.
                .reading(new Telemetry.Reading("sluice.guard.scanned", "Requests the guard scanned", true, guard.counters()::scanned))
                .reading(new Telemetry.Reading("sluice.guard.verdicts", "Requests the guard acted on", true, guard.counters()::blocked,
                        "action", "block"))
                .reading(new Telemetry.Reading("sluice.guard.verdicts", "Requests the guard acted on", true, guard.counters()::redacted,
                        "action", "redact"))
                .reading(new Telemetry.Reading("sluice.guard.verdicts", "Requests the guard acted on", true, guard.counters()::flagged,
                        "action", "flag"))
                .reading(new Telemetry.Reading("sluice.guard.truncated", "Guard scans that stopped at a bound", true,
                        guard.counters()::truncated))
                .reading(new Telemetry.Reading("sluice.guard.webhook.failures", "Policy webhook calls the fail mode decided", true,
                        guard.counters()::webhookFailed))
                .reading(new Telemetry.Reading("sluice.guard.answer.findings", "Findings in answers", true,
                        guard.counters()::answerFindings))
                .build();
        // Attempts a crash left unfinished were billed before the audit log existed: each gets its line now.
        cut.forEach(telemetry::auditRecovered);
        batches.audit(telemetry::auditBatch);
        // Issue 12: every configuration applied (file, reload, rollback, admin API) is an admin change in the audit log.
        live.onApplied(s -> auditApplied(s.version()));
        this.storeChanges = !telemetry.auditing() ? null : dev.sluice.identity.StoreChangeFeed.start(
                new dev.sluice.identity.StoreChanges(database), dataDir.resolve("audit-store-changes.seq"),
                r -> telemetry.auditChange(r.who(), r.action(), r.object(),
                        "made in the store at " + java.time.Instant.ofEpochMilli(r.tsMillis())),
                java.time.Duration.ofSeconds(2));
        warmUp();
    }

    /**
     * Runs the request-body inspection once at start, so the first developer's request does not pay for
     * loading and linking the JSON scanner (the vector API's classes alone take hundreds of milliseconds).
     */
    private static void warmUp() {
        try (var in = Components.class.getResourceAsStream("/demo/claude-code-request.json")) {
            if (in != null) {
                byte[] body = in.readAllBytes();
                for (int i = 0; i < 20; i++) {
                    dev.sluice.front.anthropic.AnthropicProtocol.INSTANCE.inspect(dev.sluice.pipeline.Operation.MESSAGES,
                            dev.sluice.pipeline.RequestBody.of(body));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // A warm-up that fails costs the first request some time, nothing else.
        }
    }

    private void auditApplied(int version) {
        ConfigVersions.Version v = live.history().stream().filter(x -> x.number() == version).findFirst().orElse(null);
        telemetry.auditChange(v == null ? "unknown" : v.who(), "config.apply", "version " + version,
                v == null ? null : "source " + v.source() + "; sha256 " + v.sha256());
    }

    /** Everything compiled from a configuration; a reload the parts cannot use is refused. */
    static List<Part<?>> parts() {
        // Provider settings before the upstreams: they name a bad region or project before a URL made from it is read.
        return List.of(StaticKeys.PART, InspectStage.LIMITS, Router.PART, ProviderSettings.PART, Upstreams.PART,
                StreamSettings.PART, SettleStage.METER, BudgetsPart.PART, ModelCatalog.PART, CacheRules.PART,
                GuardSettings.PART, AutoBreakpoints.PART, ResponsesProtocol.ITEM_STORE);
    }

    private static StoreSettings storeSettings(StoreConfig s) {
        return s.kind().equals("postgres")
                ? StoreSettings.postgres(s.dataDir(), s.url(), s.user(), s.password(), s.poolSize())
                : StoreSettings.sqlite(s.dataDir());
    }

    private BudgetSignal.Level budgetLevel(dev.sluice.pipeline.Exchange ex) {
        return budgets == null || ex.identity() == null ? BudgetSignal.Level.OK
                : BudgetSignal.Level.valueOf(budgets.state().level(ex.identity()).name());
    }

    @Override
    public void close() {
        batches.close(); // its sweeper bills into the ledger and budgets: stopped before them
        guard.close();
        if (storeChanges != null) {
            storeChanges.close();
        }
        telemetry.close();
        if (signin != null) {
            signin.close();
        }
        registry.close();
        semantic.close();
        cache.close();
        budgets.close();
        inFlight.close();
        ledger.close();
        database.close();
    }
}
