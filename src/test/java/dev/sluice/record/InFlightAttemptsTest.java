package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attempt begun and never finished (the process died) still ends up in the ledger, once. */
class InFlightAttemptsTest {
    /** One nano-USD per token, so a recovered record's cost says exactly which usage it was priced on. */
    static final InFlightAttempts.Pricer PRICE = (model, usage) -> new long[] {usage.totalTokens(), 0};

    @TempDir
    Path dir;

    @Test
    void attemptsLeftOpenByACrashAreRecordedAsGatewayRestart() {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            log.begin(TestRecords.record("req_done", 1));
            ledger.append(TestRecords.record("req_done", 1));
            log.end("req_done", 1);
            log.begin(TestRecords.withUsage(TestRecords.record("req_lost", 1), dev.sluice.wire.Usage.ZERO));
            // The stream reported its usage so far (message_start), so the slot holds it.
            log.update(TestRecords.record("req_lost", 1));
            // No end for req_lost, and no close: as if the process were killed here.
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
        }

        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts.open(dir, ledger, PRICE).close();
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
            List<SpendRow> rows = ledger.report(SpendQuery.by("error_type").between(TestRecords.T0.minusSeconds(3600),
                    TestRecords.T0.plusSeconds(3600)));
            assertThat(rows).hasSize(2);
            SpendRow restarted = rows.stream().filter(r -> "gateway_restart".equals(r.group().get("error_type"))).findFirst().orElseThrow();
            assertThat(restarted.requests()).isEqualTo(1);
            assertThat(restarted.estimatedRequests()).isEqualTo(1);
            // Billed at least what the upstream had reported: the usage of the last update, priced.
            assertThat(restarted.costNanoUsd()).isEqualTo(TestRecords.record("req_lost", 1).usage().totalTokens());
        }
        // Recovered once: the next start finds nothing left open.
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts.open(dir, ledger, PRICE).close();
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
            assertThat(ledger.report(SpendQuery.by().between(TestRecords.T0.minusSeconds(3600), TestRecords.T0.plusSeconds(3600)))
                    .getFirst().requests()).isEqualTo(2);
        }
    }

    @Test
    void aKilledProcessLeavesItsOpenAttemptsToTheNextStart() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaBin.toString(), "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), InFlightCrashChild.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("ready");
            // SIGKILL: no shutdown hook, no close, no msync. Only what is in the kernel's page cache survives.
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts.open(dir, ledger, PRICE).close();
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(10))).isTrue();
            List<SpendRow> rows = ledger.report(SpendQuery.by("error_type").between(TestRecords.T0.minusSeconds(3600),
                    TestRecords.T0.plusSeconds(3600)));
            assertThat(rows).extracting(r -> r.group().get("error_type") + "=" + r.requests())
                    .containsExactlyInAnyOrder("gateway_restart=3", "null=2");
        }
    }
}
