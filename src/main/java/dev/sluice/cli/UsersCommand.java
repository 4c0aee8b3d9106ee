package dev.sluice.cli;


import dev.sluice.identity.NewUser;
import dev.sluice.identity.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice users create|list|disable}: the people and machines that own keys; each belongs to a team. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Create, list and disable users.",
        subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, DisableCommands.User.class})
public final class UsersCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user in a team.",
            footer = {"", "Example:", "  sluice users create ana --team platform --email ana@example.com --monthly-cap 200"})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Parameters(paramLabel = "ID", description = "User id as reports show it, e.g. ana or ci-runner.")
        String id;

        @Option(names = "--team", required = true, paramLabel = "TEAM", description = "The team the user belongs to.")
        String team;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).")
        String name;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "Contact address.")
        String email;

        @Option(names = "--monthly-cap", paramLabel = "USD", description = "Spend cap over all the user's keys per month.")
        String monthlyCap;

        @Option(names = "--tag", paramLabel = "NAME=VALUE", description = "A tag all the user's keys carry; repeatable.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Override
        public Integer call() {
            BigDecimal cap = monthlyCap == null ? null : KeysCommand.usd(spec, monthlyCap);
            return db.run(spec, true, store -> {
                User u = store.createUser(new NewUser(id, team, name, email, tags, cap));
                spec.commandLine().getOut().println("Created user " + u.id() + " in team " + u.teamId() + ", in "
                        + db.where() + ".");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's users.")
        String team;

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                List<List<String>> rows = new ArrayList<>();
                for (User u : store.users(team)) {
                    rows.add(List.of(u.id(), u.teamId(), u.name(), u.email() == null ? "-" : u.email(),
                            KeysCommand.usdCell(u.monthlyCapUsd()), u.disabled() ? "disabled" : "active",
                            KeysCommand.tagsCell(u.tags())));
                }
                TextTable.print(spec.commandLine().getOut(), "users",
                        List.of("ID", "TEAM", "NAME", "EMAIL", "CAP_USD", "STATUS", "TAGS"), rows);
                return 0;
            });
        }
    }
}
