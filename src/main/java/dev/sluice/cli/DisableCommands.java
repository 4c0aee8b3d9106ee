package dev.sluice.cli;

import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.UserChanges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice users|teams|orgs disable ID}: stops every key of a user, team or org at the gateway's next registry
 * refresh (about a second), without deleting anything the ledger refers to; {@code --enable} undoes it. The same
 * change as the admin API's {@code PATCH ... {"disabled": true}}.
 */
final class DisableCommands {
    private DisableCommands() {
    }

    /** What the three commands share: the database, the id, and the one line they print. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        IdentityDb db;
        @Parameters(paramLabel = "ID", description = "The id to disable.")
        String id;
        @Option(names = "--enable", description = "Enable it again instead.")
        boolean enable;

        abstract String what();

        abstract void change(IdentityStore store, String id, boolean disabled);

        @Override
        public Integer call() {
            return db.run(spec, false, store -> {
                change(store, id, !enable);
                spec.commandLine().getOut().println((enable ? "Enabled " : "Disabled ") + what() + " " + id + ", in " + db.where()
                        + (enable ? "." : ": its keys stop working at the gateway's next registry refresh."));
                return 0;
            });
        }
    }

    /** The audit trail comes from IdentityDb, which records every CLI change in the store for the gateway's audit log. */
    static final String FOOTER = "Recorded like the other identity commands: a running gateway with an audit log writes it as an"
            + " admin_change line naming who ran the command.";

    @Command(name = "disable", description = "Disable a user: all of their keys stop working (--enable undoes it).",
            footer = {"", FOOTER})
    static final class User extends Base {
        @Override
        String what() {
            return "user";
        }

        @Override
        void change(IdentityStore store, String id, boolean disabled) {
            store.updateUser(id, new UserChanges(null, null, null, null, null, disabled));
        }
    }

    @Command(name = "disable", description = "Disable a team: the keys of all its users stop working (--enable undoes it).",
            footer = {"", FOOTER})
    static final class Team extends Base {
        @Override
        String what() {
            return "team";
        }

        @Override
        void change(IdentityStore store, String id, boolean disabled) {
            store.updateTeam(id, null, disabled);
        }
    }

    @Command(name = "disable", description = "Disable an org: the keys of all its teams' users stop working (--enable undoes it).",
            footer = {"", FOOTER})
    static final class Org extends Base {
        @Override
        String what() {
            return "org";
        }

        @Override
        void change(IdentityStore store, String id, boolean disabled) {
            store.updateOrg(id, null, disabled);
        }
    }
}
