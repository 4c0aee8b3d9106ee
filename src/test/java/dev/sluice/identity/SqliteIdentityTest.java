package dev.sluice.identity;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class SqliteIdentityTest extends IdentityContractTest {

    @TempDir
    static Path dbDir;
    private static Database db;

    @BeforeAll
    static void open() {
        db = Database.open(StoreSettings.sqlite(dbDir));
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
        return StoreSettings.sqlite(dbDir);
    }
}
