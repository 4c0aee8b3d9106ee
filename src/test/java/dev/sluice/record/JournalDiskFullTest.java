package dev.sluice.record;

import static dev.sluice.record.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the journal (attack round 19: a 4 MB tmpfs as the data dir lost 97 of 100 bills for good, each
 * append throwing while the client got its answer). Records the journal cannot take are held and journaled once it
 * takes writes again, so freeing space loses nothing.
 */
class JournalDiskFullTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void recordsAppendedWhileTheDiskIsFullReachTheDatabaseOnceSpaceReturns() throws Exception {
        try (Database db = Database.open(StoreSettings.sqlite(dir.resolve("db")));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            ledger.append(record("before", 1));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();

            ledger.diskFullForTest(true);
            for (int i = 0; i < 100; i++) {
                ledger.append(record("full-" + i, 1)); // must not throw: the request's bill is still owed
            }
            assertThat(ledger.stats().dropped()).isZero();
            assertThat(ledger.stats().queueDepth()).as("held in memory").isEqualTo(100);

            ledger.diskFullForTest(false); // space freed: the writer's retry journals them without a new append
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(rows(db)).isEqualTo(101);
            ledger.append(record("after", 1));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(rows(db)).isEqualTo(102);
            assertThat(ledger.stats().dropped()).isZero();
            assertThat(ledger.stats().recordsWritten()).isEqualTo(102);
        }
    }

    @Test
    void anAppendAfterSpaceReturnsKeepsTheHeldRecordsFirst() throws Exception {
        try (Database db = Database.open(StoreSettings.sqlite(dir.resolve("db")));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            ledger.diskFullForTest(true);
            ledger.append(record("held", 1));
            ledger.diskFullForTest(false);
            ledger.append(record("next", 1));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(rows(db)).isEqualTo(2);
            assertThat(ledger.stats().dropped()).isZero();
        }
    }

    @Test
    void aCloseWhileTheDiskIsStillFullCountsTheHeldRecordsLostOnce() throws Exception {
        try (Database db = Database.open(StoreSettings.sqlite(dir.resolve("db")))) {
            JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir));
            ledger.diskFullForTest(true);
            ledger.append(record("held", 1));
            ledger.close(); // held, the writer would wait out its whole shutdown deadline for a record already counted
            assertThat(ledger.stats().dropped()).isEqualTo(1);
            assertThat(ledger.stats().queueDepth()).isZero();
        }
    }

    private static long rows(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
