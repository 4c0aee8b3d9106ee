package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real process crash: a child JVM appends while its database is unreachable and is killed with SIGKILL
 * mid-stream. Every record it acknowledged must reach the database when the next process starts.
 */
class KillNineTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKillDashNine() throws Exception {
        Process child = ChildJvm.builder(List.of("-Xmx128m", "-Dlogback.configurationFile=none"), CrashChild.class, dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("ack ")) {
                    continue; // log output
                }
                lastAck = Long.parseLong(line.substring(4).trim());
                if (lastAck == 3_000) {
                    // SIGKILL by pid: no shutdown hooks, no close(), no fsync. Process.destroyForcibly() would also
                    // close our end of the pipe and lose the acknowledgements still buffered in it.
                    ChildJvm.sigkill(child);
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(lastAck).isGreaterThanOrEqualTo(3_000);

        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(30))).isTrue();
            Set<String> ids = new HashSet<>();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT request_id FROM ledger")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            for (long i = 0; i <= lastAck; i++) {
                assertThat(ids).as("acknowledged record %d", i).contains("kill-" + i);
            }
            assertThat(ledger.stats().corrupt()).isLessThanOrEqualTo(1); // at most the line being written at the kill
        }
    }
}
