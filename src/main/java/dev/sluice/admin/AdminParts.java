package dev.sluice.admin;

import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.budget.BudgetAdmin;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.record.SpendReports;
import java.util.Objects;

/**
 * What the admin API manages and reports on. {@code budgets}, {@code cache} or {@code sessions} (sign-in off)
 * null leaves their endpoints out; {@code changes} records every change (issue 12: one hash-chained audit line each, naming who made it);
 * {@code guesses} counts wrong credentials for the admin API and the dashboard together (null: a table of its own).
 */
public record AdminParts(IdentityStore store, KeyRegistry registry, SpendReports reports, AdminConfig config,
                         LiveConfig live, AdminChanges changes, BudgetAdmin budgets, CacheAdmin cache,
                         SessionRevoker sessions, CredentialGuesses guesses) {
    public AdminParts {
        guesses = guesses == null ? new CredentialGuesses() : guesses;
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(changes, "changes");
    }

    /** Directory, keys, spend and configuration only, changes unrecorded (tools and tests). */
    public static AdminParts basic(IdentityStore store, KeyRegistry registry, SpendReports reports, AdminConfig config,
                                   LiveConfig live) {
        return new AdminParts(store, registry, reports, config, live, AdminChanges.NONE, null, null, null, null);
    }
}
