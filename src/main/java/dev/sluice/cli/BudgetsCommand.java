package dev.sluice.cli;

import dev.sluice.budget.engine.Pricing;
import dev.sluice.budget.history.LedgerScan;
import dev.sluice.budget.replay.DryRun;
import dev.sluice.budget.replay.DryRunEvent;
import dev.sluice.budget.rules.BudgetConfigException;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice budgets set|list|status|delete} (a running gateway, through its admin API) and {@code check|dry-run}
 * (a budgets file, against the ledger's database).
 */
@Command(name = "budgets", mixinStandardHelpOptions = true,
        description = "Set, list and follow budgets on a running gateway; check budget files and replay the ledger against them.",
        subcommands = {BudgetsAdminCommands.Set.class, BudgetsAdminCommands.ListCommand.class, BudgetsAdminCommands.Status.class,
                BudgetsAdminCommands.Delete.class, BudgetsCommand.Check.class, BudgetsCommand.DryRunCommand.class})
public final class BudgetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Top-level sections of a sluice.yaml other than budgets: a file with one of them is a gateway configuration. */
    private static final Set<String> GATEWAY_SECTIONS = Set.of("server", "auth", "upstreams", "routes", "timeouts", "streaming",
            "store", "metering", "telemetry", "admin", "signin", "routing", "cache", "guard");

    static BudgetSet load(CommandSpec spec, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--file: cannot read " + file + " (" + e.getMessage() + ")");
        }
        List<String> sections = dev.sluice.config.ConfigLoader.sections(text);
        if (!sections.contains("budgets") && sections.stream().anyMatch(GATEWAY_SECTIONS::contains)) {
            // A sluice.yaml without budgets: reading it as a budgets file would only say "unknown key 'server'".
            throw new ParameterException(spec.commandLine(), file + ": no budgets: section (this is a gateway"
                    + " configuration; budgets go under budgets:, or in a budgets file with its keys: list, time-zone, ...)");
        }
        try {
            return BudgetRules.compile(file.toString(), BudgetRules.parse(file.toString(), text));
        } catch (BudgetConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a budgets file (or a sluice.yaml with a budgets: section).")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The budgets file.")
        Path file;

        @Override
        public Integer call() {
            BudgetSet set = load(spec, file);
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": " + set.rules().size() + " budgets, time zone " + set.zone());
            set.warnings().forEach(w -> out.println("warning: " + w));
            out.flush();
            return 0;
        }
    }

    @Command(name = "dry-run", mixinStandardHelpOptions = true,
            description = "Replay the last N days of the ledger against proposed budgets: who would have been alerted, degraded or blocked, and when.",
            footer = {"", "Example:", "  sluice budgets dry-run --file proposed.yaml --days 30"})
    static final class DryRunCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOptions store;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The proposed budgets.")
        Path file;

        @Option(names = "--days", defaultValue = "30", paramLabel = "N", description = "Days of ledger to replay (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--prices", paramLabel = "FILE", description = "An operator price file, as metering.prices.")
        Path prices;

        @Override
        public Integer call() {
            if (days < 1 || days > 400) {
                throw new ParameterException(spec.commandLine(), "--days: " + days + " (expected: 1 to 400)");
            }
            BudgetSet proposed = load(spec, file);
            DryRun run = new DryRun(proposed, Pricing.of(new Meter(PriceTable.load(prices, BigDecimal.ONE))));
            Instant until = Instant.now();
            try (Database db = Database.open(store.settings(spec, false))) {
                new LedgerScan(db.dataSource(), db.isPostgres()).scan(until.minus(Duration.ofDays(days)), until, run::accept);
            }
            print(spec.commandLine().getOut(), run, proposed.zone(), days);
            return 0;
        }
    }

    static void print(PrintWriter out, DryRun run, ZoneId zone, int days) {
        DateTimeFormatter at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        List<List<String>> rows = new ArrayList<>();
        for (DryRunEvent e : run.events()) {
            String when = at.format(e.first()) + (e.requests() > 1 ? " … " + at.format(e.last()) : "");
            rows.add(List.of(when, e.budget(), e.who(), e.kind(), e.requests() > 1 ? e.requests() + " requests: " + e.detail() : e.detail()));
        }
        out.println("Replayed " + run.replayed() + " ledger records of the last " + days + " days (times in " + zone + ").");
        TextTable.print(out, "alerts, degrades or blocks", List.of("WHEN", "BUDGET", "WHO", "WHAT", "DETAIL"), rows);
        out.println("Spend under the proposal: $" + usd(run.spentNanoUsd()) + "; refused or saved by degrading: $" + usd(run.avoidedNanoUsd()));
        out.flush();
    }

    private static String usd(long nano) {
        return BigDecimal.valueOf(nano, 9).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
