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
            // Changes made here, beside the gateway, reach its audit log through the store (store_changes).
            return work.apply(new IdentityStore(database).recordingChangesAs(operator()));
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

    /**
     * Who is making the change, as the audit log shows it: the OS user and host running the command. The audit line
     * says the change was made in the store, not through the admin API's credentials.
     */
    static String operator() {
        String user = System.getProperty("user.name", "unknown");
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try { // the kernel's name, not a DNS lookup (which can stall a command for seconds)
                host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                host = "localhost";
            }
        }
        return dev.sluice.pipeline.Bounded.text(user + "@" + host + " (cli)", 200);
    }

    /** Where the database is, for messages. */
    String where() {
        return store.where();
    }
}
