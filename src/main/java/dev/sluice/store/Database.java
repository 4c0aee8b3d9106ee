package dev.sluice.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * An open, migrated database: SQLite in WAL mode or PostgreSQL, both behind a HikariCP pool.
 *
 * <p>SQLite runs with {@code synchronous=FULL}: in WAL mode that is one fsync per commit, and the ledger
 * commits in batches, so it is cheap — and it is what lets the ledger delete its journal after a commit
 * without a power cut being able to undo that commit.
 */
public final class Database implements AutoCloseable {

    public static final String SQLITE_FILE = "sluice.db";

    private final String kind;
    private final HikariDataSource pool;
    private final FileAtPath file;

    private Database(String kind, HikariDataSource pool, FileAtPath file) {
        this.kind = kind;
        this.pool = pool;
        this.file = file;
    }

    /** Opens the pool and applies pending migrations; fails with the cause if either goes wrong. */
    public static Database open(StoreSettings s) {
        Objects.requireNonNull(s, "settings");
        HikariDataSource pool = StoreSettings.SQLITE.equals(s.kind()) ? sqlitePool(s) : postgresPool(s);
        try {
            migrate(pool, s.kind());
            FileAtPath file = StoreSettings.SQLITE.equals(s.kind()) ? sqliteFile(s.dataDir().resolve(SQLITE_FILE)) : null;
            return new Database(s.kind(), pool, file);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** {@code "sqlite"} or {@code "postgres"}, for the few statements whose SQL differs. */
    public String kind() {
        return kind;
    }

    public boolean isPostgres() {
        return StoreSettings.POSTGRES.equals(kind);
    }

    /**
     * False when the SQLite file this pool opened is no longer at its path (deleted, or replaced by another file): its
     * connections still write to the old file, which is gone once they close, so a commit made now is not durable where
     * anyone will look. Always true for PostgreSQL. A {@code stat}, cheap enough for every ledger batch.
     */
    public boolean inPlace() {
        return file == null || file.stillAtPath();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static FileAtPath sqliteFile(Path path) {
        try {
            return FileAtPath.of(path);
        } catch (IOException e) {
            throw new UncheckedIOException("sqlite database " + path + ": cannot read its attributes", e);
        }
    }

    private static HikariDataSource sqlitePool(StoreSettings s) {
        Path file = s.dataDir().resolve(SQLITE_FILE);
        try {
            DataDir.create(s.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("data dir: cannot create " + s.dataDir(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000); // writers from other parts wait for each other instead of failing
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-sqlite");
        hc.setDataSource(ds);
        hc.setMaximumPoolSize(s.poolSize());
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            // SQLite says "disk I/O error" for a full disk and names neither the file nor the disk (attack round 19, F9).
            throw new IllegalStateException("SQLite database " + file.toAbsolutePath() + " cannot be opened: "
                    + rootMessage(e) + freeSpace(s.dataDir()), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The data dir's free space, the likeliest reason SQLite cannot open or write its file. */
    private static String freeSpace(Path dir) {
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            return " (the data dir " + dir.toAbsolutePath() + " has " + (free >> 10) + " KiB free"
                    + (free < 16L << 20 ? ": free disk space and start again)" : ")");
        } catch (IOException e) {
            return "";
        }
    }

    private static HikariDataSource postgresPool(StoreSettings s) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-postgres");
        hc.setJdbcUrl(s.jdbcUrl());
        hc.setUsername(s.user());
        hc.setPassword(s.password());
        hc.setMaximumPoolSize(s.poolSize());
        // While PostgreSQL is away (a restart, a failover) a caller waits this long for a connection, not Hikari's 30 s:
        // an admin call answers 503 in seconds, and the ledger's writer spills to its journal and retries sooner.
        hc.setConnectionTimeout(5_000);
        hc.addDataSourceProperty("connectTimeout", "5");
        // Lets the driver turn a JDBC batch into multi-row INSERTs: one round trip per ~128 ledger rows.
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(hc);
    }

    /**
     * Whether {@code e} says the database could not be reached: the pool waited for a connection in vain, the
     * connection broke (SQLState class 08), or the server is shutting down or starting (57P01-57P03: a pooled connection
     * a stopping PostgreSQL terminated), as while PostgreSQL restarts or fails over.
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static void migrate(DataSource ds, String kind) {
        String folder = StoreSettings.SQLITE.equals(kind) ? "sqlite" : "postgresql";
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration/" + folder)
                .load()
                .migrate();
    }
}
