package dev.sluice.record;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record the database refuses as data is set aside, framed like a journal line, never lost; outages are not data errors. */
class RefusedRecordsTest {
    @TempDir
    Path dir;

    @Test
    void refusedRecordsAreKeptFramedAndReadableAndCounted() throws Exception {
        RefusedRecords refused = new RefusedRecords(dir);
        LedgerRecord first = TestRecords.record("req-a", 1);
        LedgerRecord second = TestRecords.record("req-b", 2);
        refused.setAside(first, new SQLException("value too long", "22001"));
        refused.setAside(second, new SQLException("duplicate", "23505"));

        List<String> lines = Files.readAllLines(dir.resolve(RefusedRecords.FILE), UTF_8);
        assertThat(lines).hasSize(2);
        byte[] payload = lines.get(1).substring(9).getBytes(UTF_8); // after the CRC and its space
        assertThat(new String(Journal.frame(payload).array(), UTF_8)).isEqualTo(lines.get(1) + "\n");
        assertThat(JournalCodec.decode(payload, 0, payload.length).requestId()).isEqualTo("req-b");
        assertThat(refused.refused()).isEqualTo(2);
        assertThat(refused.lost()).isZero();
    }

    @Test
    void onlyTheDatabaseRefusingTheDataCountsAsADataError() {
        assertThat(RefusedRecords.isDataError(new SQLException("numeric out of range", "22003"))).isTrue();
        assertThat(RefusedRecords.isDataError(new SQLException("not null violation", "23502"))).isTrue();
        assertThat(RefusedRecords.isDataError(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(RefusedRecords.isDataError(new SQLException("no state"))).isFalse();
        SQLException chained = new SQLException("batch failed", "08006");
        chained.setNextException(new SQLException("check violation", "23514"));
        assertThat(RefusedRecords.isDataError(chained)).isTrue();
    }

    @Test
    void aRecordThatCannotBeSetAsideEitherIsCountedLost() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        RefusedRecords refused = new RefusedRecords(notADir);
        refused.setAside(TestRecords.record("req-c", 1), new SQLException("bad", "22000"));
        assertThat(refused.refused()).isEqualTo(1);
        assertThat(refused.lost()).isEqualTo(1);
    }
}
