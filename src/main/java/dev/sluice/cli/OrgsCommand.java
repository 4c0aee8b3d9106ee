package dev.sluice.cli;


import dev.sluice.identity.Org;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice orgs create|list}: organizations, the top of the org → team → user → key tree. */
@Command(name = "orgs", mixinStandardHelpOptions = true, description = "Create, list and disable organizations.",
        subcommands = {OrgsCommand.Create.class, OrgsCommand.ListOrgs.class, DisableCommands.Org.class})
public final class OrgsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an organization.",
            footer = {"", "Example:", "  sluice orgs create acme --name \"Acme Corp\""})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Parameters(paramLabel = "ID", description = "Organization id as reports show it, e.g. acme.")
        String id;

        @Option(names = "--name", paramLabel = "NAME", description = "Display name (default: the id).")
        String name;

        @Override
        public Integer call() {
            return db.run(spec, true, store -> {
                Org o = store.createOrg(id, name);
                spec.commandLine().getOut().println("Created org " + o.id() + ", in " + db.where() + ".");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List organizations.")
    static final class ListOrgs implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                List<List<String>> rows = new ArrayList<>();
                for (Org o : store.orgs()) {
                    rows.add(List.of(o.id(), o.name(), o.disabled() ? "disabled" : "active"));
                }
                TextTable.print(spec.commandLine().getOut(), "orgs", List.of("ID", "NAME", "STATUS"), rows);
                return 0;
            });
        }
    }
}
