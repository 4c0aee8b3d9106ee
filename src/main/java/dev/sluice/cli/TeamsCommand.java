package dev.sluice.cli;


import dev.sluice.identity.Team;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice teams create|list}: teams group users inside an organization. */
@Command(name = "teams", mixinStandardHelpOptions = true, description = "Create, list and disable teams.",
        subcommands = {TeamsCommand.Create.class, TeamsCommand.ListTeams.class, DisableCommands.Team.class})
public final class TeamsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a team in an organization.",
            footer = {"", "Example:", "  sluice teams create platform --org acme --name \"Platform team\""})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Parameters(paramLabel = "ID", description = "Team id as reports show it, e.g. platform.")
        String id;

        @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organization the team belongs to.")
        String org;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).")
        String name;

        @Override
        public Integer call() {
            return db.run(spec, true, store -> {
                Team t = store.createTeam(id, org, name);
                spec.commandLine().getOut().println("Created team " + t.id() + " in org " + t.orgId() + ", in "
                        + db.where() + ".");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List teams.")
    static final class ListTeams implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Option(names = "--org", paramLabel = "ORG", description = "Only this organization's teams.")
        String org;

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                List<List<String>> rows = new ArrayList<>();
                for (Team t : store.teams(org)) {
                    rows.add(List.of(t.id(), t.orgId(), t.name(), t.disabled() ? "disabled" : "active"));
                }
                TextTable.print(spec.commandLine().getOut(), "teams", List.of("ID", "ORG", "NAME", "STATUS"), rows);
                return 0;
            });
        }
    }
}
