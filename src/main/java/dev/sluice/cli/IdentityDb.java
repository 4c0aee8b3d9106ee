package dev.sluice.cli;

import dev.sluice.identity.IdentityException;
import dev.sluice.identity.IdentityStore;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The database options of every identity command ({@link StoreOptions}), and the one place their
 * errors become exit codes: 2 for bad input (unknown ids, duplicates, bad values), 1 when the database fails.
 */
public final class IdentityDb {
    @Mixin
    StoreOptions store;

    /** Opens the database and runs {@code work}. */
    int run(CommandSpec spec, boolean mayCreate, Function<IdentityStore, Integer> work) {
        StoreSettings settings = store.settings(spec, mayCreate);
        String command = spec.qualifiedName();
        try (Database database = Database.open(settings)) {
            return work.apply(new IdentityStore(database));
        } catch (IdentityException e) {
            spec.commandLine().getErr().println(command + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println(command + ": " + where() + ": " + e.getMessage());
            return 1;
        } finally {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
        }
    }

    /** Where the database is, for messages. */
    String where() {
        return store.where();
    }
}
