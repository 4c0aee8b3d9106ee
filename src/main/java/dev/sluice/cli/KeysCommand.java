package dev.sluice.cli;

import dev.sluice.config.Durations;
import dev.sluice.identity.IdentityException;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.IssuedKey;
import dev.sluice.identity.NewKey;
import dev.sluice.identity.Usd;
import dev.sluice.identity.VirtualKey;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice keys create|list|revoke|rotate}: virtual keys, straight in the database, so it works with or
 * without a running gateway (which picks changes up within seconds). Also holds the database options and the
 * table printer that the {@code users}, {@code teams} and {@code orgs} commands share.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Issue, list, revoke and rotate virtual keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class,
                KeysCommand.Rotate.class})
public final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a key for a user; it is shown once.",
            footer = {"", "Example:", "  sluice keys create --user ana --alias ana-laptop --tag repo=api --expires 90d --monthly-cap 50"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The user the key belongs to.")
        String user;

        @Option(names = "--alias", paramLabel = "NAME", description = "Name shown in reports (default: the user id).")
        String alias;

        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "A tag every request with this key carries; repeatable.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--expires", paramLabel = "DURATION",
                description = "Lifetime such as 90d or 12h; a rotation renews it (default: never expires).")
        String expires;

        @Option(names = "--monthly-cap", paramLabel = "USD", description = "Spend cap per calendar month in USD, e.g. 50.")
        String monthlyCap;

        @Option(names = "--quiet", description = "Print only the key, for scripts.")
        boolean quiet;

        @Override
        public Integer call() {
            Duration lifetime = expires == null ? null : duration(spec, "--expires", expires);
            BigDecimal cap = monthlyCap == null ? null : usd(spec, monthlyCap);
            return db.run(spec, true, store -> {
                IssuedKey k = store.issueKey(new NewKey(user, alias, tags, cap, lifetime));
                PrintWriter out = spec.commandLine().getOut();
                if (quiet) {
                    out.println(k.secret());
                } else {
                    out.println("Created key " + k.key().id() + " (alias " + k.key().alias() + ") for user " + user
                            + (k.key().expiresAt() == null ? "" : ", expires " + show(k.key().expiresAt())) + ", in " + db.where() + ".");
                    showSecret(out, k.secret());
                }
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, revoked and expired ones too.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Option(names = "--user", paramLabel = "USER", description = "Only this user's keys.")
        String user;

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                Instant now = Instant.now();
                List<List<String>> rows = new ArrayList<>();
                for (VirtualKey k : store.keys(user)) {
                    rows.add(List.of(k.id(), k.alias(), k.userId(), k.prefix(), k.status(now).label(), usdCell(k.monthlyCapUsd()),
                            k.expiresAt() == null ? "-" : show(k.expiresAt()), tagsCell(k.tags())));
                }
                TextTable.print(spec.commandLine().getOut(), "keys",
                        List.of("ID", "ALIAS", "USER", "PREFIX", "STATUS", "CAP_USD", "EXPIRES", "TAGS"), rows);
                return 0;
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key for good.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Parameters(paramLabel = "ID", description = "The key id (key_...), as `sluice keys list` shows it.")
        String id;

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                VirtualKey k = store.revokeKey(id);
                spec.commandLine().getOut().println("Revoked key " + k.id() + " (alias " + k.alias() + ", user " + k.userId()
                        + "). Running gateways refuse it within a few seconds.");
                return 0;
            });
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give a key a new secret; the old one keeps working for the grace period.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Parameters(paramLabel = "ID", description = "The key id (key_...).")
        String id;

        @Option(names = "--grace", defaultValue = "24h", paramLabel = "DURATION",
                description = "How long the old secret keeps working, e.g. 1h or 0s (default: ${DEFAULT-VALUE}).")
        String grace;

        @Override
        public Integer call() {
            Duration g = duration(spec, "--grace", grace);
            return db.run(spec, false, store -> {
                IssuedKey k = store.rotateKey(id, g);
                PrintWriter out = spec.commandLine().getOut();
                out.println("Rotated key " + k.key().id() + " (alias " + k.key().alias() + "). The old secret works until "
                        + show(store.now().plus(g)) + ".");
                showSecret(out, k.secret());
                return 0;
            });
        }
    }

    private static void showSecret(PrintWriter out, String secret) {
        out.println();
        out.println("    " + secret);
        out.println();
        out.println("Copy it now: Sluice keeps only its SHA-256 digest and cannot show this key again.");
        out.println("Clients send it as ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), with ANTHROPIC_BASE_URL set to the gateway.");
    }

    static Duration duration(CommandSpec spec, String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    static BigDecimal usd(CommandSpec spec, String text) {
        try {
            return Usd.parse(text);
        } catch (IdentityException e) {
            throw new ParameterException(spec.commandLine(), "--monthly-cap: " + e.getMessage());
        }
    }

    static String show(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String usdCell(BigDecimal usd) {
        return usd == null ? "-" : usd.toPlainString();
    }

    static String tagsCell(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "-";
        }
        List<String> pairs = new ArrayList<>();
        tags.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }
}
