package dev.sluice.cli;

import dev.sluice.config.StoreConfig;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the commands that read or change the gateway's data find its database, first match wins:
 * {@code --db} (PostgreSQL), {@code --data-dir} (SQLite there), the {@code store} section of the
 * configuration ({@code -c}, {@code $SLUICE_CONFIG} or {@code ./sluice.yaml}), {@code $SLUICE_DATA_DIR},
 * and finally {@code .sluice-data} — the same place {@code sluice serve} uses by default.
 */
final class StoreOptions {
    @Mixin
    ConfigOption config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The gateway's data directory holding sluice.db.")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL instead of SQLite, e.g. jdbc:postgresql://db:5432/sluice.")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:SLUICE_DB_USER}", paramLabel = "USER", description = "PostgreSQL user (env SLUICE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:SLUICE_DB_PASSWORD}", paramLabel = "PASSWORD",
            description = "PostgreSQL password (env SLUICE_DB_PASSWORD; prefer the variable over the flag).")
    String dbPassword;

    private StoreSettings resolved;

    /**
     * The database to open. Only commands that create something may create a SQLite file: a listing
     * pointed at the wrong directory should say so, not show an empty new database.
     */
    StoreSettings settings(CommandSpec spec, boolean mayCreate) {
        resolved = resolve(spec);
        if (resolved.kind().equals(StoreSettings.SQLITE) && !mayCreate) {
            Path file = resolved.dataDir().resolve(Database.SQLITE_FILE);
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "no database at " + file.toAbsolutePath()
                        + " (expected: the gateway's data directory; set --data-dir, -c or SLUICE_DATA_DIR)");
            }
        }
        return resolved;
    }

    private StoreSettings resolve(CommandSpec spec) {
        if (db != null) {
            if (!db.startsWith("jdbc:postgresql:")) {
                throw new ParameterException(spec.commandLine(), "--db: \"" + db
                        + "\" (expected: jdbc:postgresql://host:port/db; for SQLite use --data-dir)");
            }
            return StoreSettings.postgres(dataDir == null ? Path.of(".sluice-data") : dataDir, db, dbUser, dbPassword, 2);
        }
        if (dataDir != null) {
            return sqlite(dataDir);
        }
        Path file = config.resolve();
        if (file != null) {
            StoreConfig s = config.loadOffline().store();
            return s.kind().equals("postgres")
                    ? StoreSettings.postgres(s.dataDir(), s.url(), s.user(), s.password(), 2)
                    : sqlite(s.dataDir());
        }
        String env = System.getenv("SLUICE_DATA_DIR");
        return sqlite(Path.of(env == null || env.isBlank() ? ".sluice-data" : env));
    }

    private static StoreSettings sqlite(Path dir) {
        return new StoreSettings(StoreSettings.SQLITE, dir, null, null, null, 2);
    }

    /** Where the database is, for messages. */
    String where() {
        if (resolved == null) {
            return "the database";
        }
        return resolved.kind().equals(StoreSettings.SQLITE)
                ? "SQLite at " + resolved.dataDir().resolve(Database.SQLITE_FILE).toAbsolutePath()
                : "PostgreSQL at " + resolved.jdbcUrl();
    }
}
