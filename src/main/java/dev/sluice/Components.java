package dev.sluice;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.authenticate.StaticKeys;
import dev.sluice.budget.BudgetStage;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.identity.Resolvers;
import dev.sluice.budget.SpendCounters;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.StoreConfig;
import dev.sluice.record.InFlightAttempts;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.Ledger;
import dev.sluice.record.LedgerSettings;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.signin.Signin;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.trace.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The long-lived parts shared by every event loop: the database, the ledger, prices, spend
 * counters, key resolution. Opened before the front starts (blocking work belongs here, not on an
 * event loop) and closed after it stops, ledger last so every record is flushed.
 */
final class Components implements AutoCloseable {
    final Database database;
    final Ledger ledger;
    final InFlightAttempts inFlight;
    final SpendReports reports;
    final Meter meter;
    final SpendCounters counters;
    final IdentityStore identities;
    final KeyRegistry registry;
    final KeyResolver keys;
    final BudgetStage budget;
    final Telemetry telemetry;
    final Signin signin; // null unless signin.enabled

    Components(SluiceConfig config, Clock clock) {
        this.database = Database.open(storeSettings(config.store()));
        this.ledger = JournaledLedger.open(database, LedgerSettings.defaults(config.store().dataDir()));
        this.inFlight = InFlightAttempts.open(config.store().dataDir(), ledger);
        this.reports = new SpendReports(database);
        this.meter = new Meter(PriceTable.load(config.metering().prices(), config.metering().multiplier()));
        this.counters = new SpendCounters(clock);
        this.identities = new IdentityStore(database, clock);
        this.registry = KeyRegistry.started(identities);
        this.signin = Signin.create(config.signin(), identities, clock);
        this.keys = Resolvers.firstOf(new StaticKeys(config.auth().keys()), registry, Signin.resolver(signin));
        this.budget = new BudgetStage(who -> registry.caps(who.keyId()), counters, clock);
        this.telemetry = Telemetry.builder(config.telemetry()).ledgerStats(ledger::stats).build();
        seedCounters(clock);
    }

    private static StoreSettings storeSettings(StoreConfig s) {
        return s.kind().equals("postgres")
                ? StoreSettings.postgres(s.dataDir(), s.url(), s.user(), s.password(), s.poolSize())
                : StoreSettings.sqlite(s.dataDir());
    }

    /** The month's spend so far, per key and per user, so a restart does not reset anyone's cap. */
    private void seedCounters(Clock clock) {
        ledger.awaitFlushed(java.time.Duration.ofSeconds(10));
        Instant monthStart = counters.month().atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Map<String, Long> totals = new HashMap<>();
        for (SpendRow row : reports.report(SpendQuery.by("key").between(monthStart, clock.instant().plusSeconds(60)))) {
            totals.put(SpendCounters.keyScope(row.group().get("key")), row.costNanoUsd());
        }
        for (SpendRow row : reports.report(SpendQuery.by("user").between(monthStart, clock.instant().plusSeconds(60)))) {
            if (row.group().get("user") != null) {
                totals.put(SpendCounters.userScope(row.group().get("user")), row.costNanoUsd());
            }
        }
        counters.seed(totals);
    }

    @Override
    public void close() {
        telemetry.close();
        if (signin != null) {
            signin.close();
        }
        registry.close();
        inFlight.close();
        ledger.close();
        database.close();
    }
}
