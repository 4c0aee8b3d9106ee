package dev.sluice.record;

import static dev.sluice.record.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite file deleted under a running gateway (attack round 19: the pool's connections kept committing into the
 * unlinked file, the journal was deleted batch by batch, and after the restart the 60 bills reported written were
 * nowhere). A commit into a file no longer at its path is not a commit: the records stay in the journal.
 */
class DeletedDatabaseFileTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void recordsCommittedAfterTheFileWasDeletedAreReplayedIntoTheNextDatabase() throws Exception {
        Path dbDir = dir.resolve("db");
        LedgerSettings settings = LedgerSettings.defaults(dir).withShutdownTimeout(Duration.ofMillis(300));
        try (Database db = Database.open(StoreSettings.sqlite(dbDir));
             JournaledLedger ledger = JournaledLedger.open(db, settings)) {
            ledger.append(record("before", 1));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(dbDir.resolve(Database.SQLITE_FILE + suffix));
            }
            for (int i = 0; i < 5; i++) {
                ledger.append(record("after-" + i, 1));
            }
            assertThat(ledger.awaitFlushed(Duration.ofMillis(500))).as("nothing is committed into a deleted file").isFalse();
            assertThat(ledger.stats().lastError()).contains("deleted or replaced");
        }
        try (Database db = Database.open(StoreSettings.sqlite(dbDir)); // a new, empty file
             JournaledLedger ledger = JournaledLedger.open(db, settings)) {
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(rows(db, "after-%")).isEqualTo(5);
        }
    }

    private static long rows(Database db, String like) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ledger WHERE request_id LIKE '" + like + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
