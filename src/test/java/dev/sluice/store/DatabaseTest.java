package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void sqliteOpensInWalModeWithTheLedgerTable() throws Exception {
        try (Database db = Database.open(StoreSettings.sqlite(dir))) {
            assertThat(db.kind()).isEqualTo("sqlite");
            assertThat(dir.resolve("sluice.db")).exists();
            assertThat(single(db, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(db, "PRAGMA synchronous")).isEqualTo("2"); // FULL
            assertThat(single(db, "SELECT COUNT(*) FROM ledger")).isEqualTo("0");
        }
        String applied;
        try (Database first = Database.open(StoreSettings.sqlite(dir))) {
            applied = single(first, "SELECT COUNT(*) FROM flyway_schema_history WHERE success");
        }
        try (Database again = Database.open(StoreSettings.sqlite(dir))) { // migrations are applied once
            assertThat(single(again, "SELECT COUNT(*) FROM flyway_schema_history WHERE success")).isEqualTo(applied);
        }
    }

    /** SQLite's own words ("disk I/O error", "unable to open") name no file and no disk: the refusal names both. */
    @Test
    void aSqliteFileThatCannotBeOpenedIsNamedWithTheDataDirsFreeSpace() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("sluice.db")); // a directory where the file should be
        assertThatThrownBy(() -> Database.open(StoreSettings.sqlite(dir)))
                .hasMessageStartingWith("SQLite database " + dir.resolve("sluice.db").toAbsolutePath() + " cannot be opened: ")
                .hasMessageContaining("the data dir " + dir.toAbsolutePath() + " has ").hasMessageContaining("KiB free");
    }

    @Test
    void postgresOpensThroughThePoolWithTheLedgerTable() throws Exception {
        try (Database db = Database.open(PostgresForTests.freshDatabase(dir))) {
            assertThat(db.kind()).isEqualTo("postgres");
            assertThat(db.isPostgres()).isTrue();
            assertThat(single(db, "SELECT data_type FROM information_schema.columns WHERE table_name = 'ledger' "
                    + "AND column_name = 'tags'")).isEqualTo("jsonb");
        }
    }

    @Test
    void settingsShowTheBadValueAndHideThePassword() {
        assertThatThrownBy(() -> new StoreSettings("mysql", dir, null, null, null, 4))
                .hasMessage("store kind: \"mysql\" (expected: sqlite or postgres)");
        assertThatThrownBy(() -> StoreSettings.postgres(dir, "jdbc:mysql://x", "u", "p", 4))
                .hasMessageContaining("expected: jdbc:postgresql://");
        assertThat(StoreSettings.postgres(dir, "jdbc:postgresql://h/db", "u", "secret", 4).toString())
                .doesNotContain("secret");
    }

    private static String single(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
