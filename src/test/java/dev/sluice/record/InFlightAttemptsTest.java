package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.ChildJvm;
import dev.sluice.wire.Usage;
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

    /**
     * A kill while the journal's disk is full (attack round 19: 55 of 80 records lost): the ledger holds the record in
     * memory, so the attempt's slot keeps it until the journal takes it, and the next start records it from there.
     */
    @Test
    void anAttemptWhoseRecordTheLedgerHoldsInMemorySurvivesAKillThroughItsSlot() {
        LedgerRecord last = TestRecords.record("req_held", 1);
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            log.begin(TestRecords.withUsage(last, Usage.ZERO));
            ledger.diskFullForTest(true);
            ledger.append(last);
            assertThat(ledger.holding()).isTrue();
            log.endHeld(last);
            ledger.crashForTest(); // kill -9: the held record dies with the process
        }
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            assertThat(InFlightAttempts.open(dir, ledger, PRICE).takeRecovered()).singleElement()
                    .satisfies(r -> assertThat(r.costNanoUsd()).isEqualTo(last.usage().totalTokens()));
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aSlotKeptForAHeldRecordIsFreedOnceTheJournalTakesIt() {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            log.begin(TestRecords.record("req_held", 1));
            ledger.diskFullForTest(true);
            ledger.append(TestRecords.record("req_held", 1));
            log.endHeld(TestRecords.record("req_held", 1));
            ledger.diskFullForTest(false);
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
            log.begin(TestRecords.record("req_next", 1)); // frees the kept slot, the journal having the record
            ledger.crashForTest();
        }
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            assertThat(InFlightAttempts.open(dir, ledger, PRICE).takeRecovered()).extracting(LedgerRecord::requestId)
                    .containsExactly("req_next");
        }
    }

    /**
     * The slot file is sparse: a slot's page gets its disk block when first written, so on a full disk the store faults
     * (SIGBUS, an InternalError in Java). Attack round 19 saw that as a 500 of ours for half the requests of a busy
     * gateway on a full data dir. A file cut short faults the same way, which is how this test makes the fault.
     */
    @Test
    void aSlotWhosePageHasNoDiskLeavesTheAttemptUntrackedInsteadOfFailingIt() throws Exception {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            Path slots = dir.resolve(SlotLayout.V3.fileName());
            long size = java.nio.file.Files.size(slots);
            try (var ch = java.nio.channels.FileChannel.open(slots, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            assertThat(log.begin(TestRecords.record("req_unbacked", 1))).isNull();
            log.update(TestRecords.record("req_unbacked", 1));
            log.end("req_unbacked", 1);
            assertThat(log.inFlight()).isZero();

            try (var ch = java.nio.channels.FileChannel.open(slots, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1); // the disk has room again
            }
            InFlightAttempts.Progress p = log.begin(TestRecords.record("req_backed", 1));
            assertThat(p).as("the slot given back serves again").isNotNull();
            log.relayed(p, 10);
            log.end("req_backed", 1);
            assertThat(log.inFlight()).isZero();
        }
    }

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

    /** A stream's record as the slot holds it between message_start and its end: input known, output not yet. */
    static LedgerRecord midStream(String id) {
        LedgerRecord r = TestRecords.withUsage(TestRecords.record(id, 1), new Usage(100, 1, 0, 0, 0, 0, 0, 0));
        return new LedgerRecord(r.requestId(), r.attempt(), r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(), r.orgId(),
                r.tags(), r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(), r.provider(),
                r.upstreamKeyAlias(), r.status(), r.errorType(), r.usage(), true, 0, 0, 0, r.cacheStatus(), 0, -1, 0, true);
    }

    /** Attack round 13, F4: the output relayed to the client after the last usage report is billed too, at least. */
    @Test
    void aCrashBillsAtLeastTheOutputRelayedSinceTheLastUsageReport() {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            InFlightAttempts.Progress slot = log.begin(TestRecords.withUsage(TestRecords.record("req_streaming", 1), Usage.ZERO));
            log.update(midStream("req_streaming"));
            for (int i = 0; i < 300; i++) {
                log.relayed(slot, 4); // 300 deltas of 4 bytes: 1,200 bytes
            }
            log.relayed(slot, 0); // an empty delta (a tool call's first input) counts for nothing
            // A slot handed back and taken again starts from zero: nothing of the previous attempt is billed twice.
            InFlightAttempts.Progress done = log.begin(TestRecords.record("req_done", 1));
            log.relayed(done, 5000);
            log.end("req_done", 1);
            log.relayed(done, 5000); // after its end: ignored, the slot may serve another attempt by now
            log.begin(midStream("req_reused"));
        }

        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            List<LedgerRecord> recovered = log.takeRecovered();
            assertThat(log.takeRecovered()).as("handed over once").isEmpty();
            assertThat(recovered).extracting(LedgerRecord::requestId).containsExactlyInAnyOrder("req_streaming", "req_reused");
            LedgerRecord streaming = recovered.stream().filter(r -> r.requestId().equals("req_streaming")).findFirst().orElseThrow();
            // 1,200 bytes at 3 bytes per token (erring high), above the 300 deltas and the reported 1.
            assertThat(streaming.usage().outputTokens()).isEqualTo(400);
            assertThat(streaming.usage().inputTokens()).isEqualTo(100);
            assertThat(streaming.usageEstimated()).isTrue();
            assertThat(streaming.errorType()).isEqualTo("gateway_restart");
            assertThat(streaming.costNanoUsd()).isEqualTo(500); // priced on the raised usage
            LedgerRecord reused = recovered.stream().filter(r -> r.requestId().equals("req_reused")).findFirst().orElseThrow();
            assertThat(reused.usage().outputTokens()).isEqualTo(1);
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(5))).isTrue();
            SpendRow row = ledger.report(SpendQuery.by().between(TestRecords.T0.minusSeconds(3600), TestRecords.T0.plusSeconds(3600)))
                    .getFirst();
            assertThat(row.outputTokens()).isEqualTo(401);
        }
    }

    @Test
    void anUpstreamsFinalCountStandsWhateverWasRelayed() {
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            InFlightAttempts.Progress slot = log.begin(TestRecords.withUsage(TestRecords.record("req_final", 1), Usage.ZERO));
            for (int i = 0; i < 300; i++) {
                log.relayed(slot, 4);
            }
            log.update(TestRecords.record("req_final", 1)); // the final message_delta: 50 output tokens, not estimated
        }
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            List<LedgerRecord> recovered = InFlightAttempts.open(dir, ledger, PRICE).takeRecovered();
            assertThat(recovered).singleElement().satisfies(r -> {
                assertThat(r.usage()).isEqualTo(TestRecords.record("req_final", 1).usage());
                assertThat(r.usageEstimated()).isTrue();
            });
        }
    }

    /** A slot file the previous version left (v2: no relayed counts) is recovered once after the upgrade, then gone. */
    @Test
    void aSlotFileOfThePreviousVersionIsRecoveredOnce() throws Exception {
        byte[] json = JournalCodec.encode(midStream("req_v2"));
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(3 * 4096);
        file.put(4096, (byte) 2); // slot 1, half B current
        file.putInt(4096 + 1 + 2047, json.length);
        file.put(4096 + 1 + 2047 + 4, json);
        java.nio.file.Files.write(dir.resolve("inflight-v2.slots"), file.array());
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            InFlightAttempts log = InFlightAttempts.open(dir, ledger, PRICE);
            assertThat(log.takeRecovered()).extracting(LedgerRecord::requestId, r -> r.usage().outputTokens())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("req_v2", 1L));
            assertThat(dir.resolve("inflight-v2.slots")).doesNotExist();
            assertThat(dir.resolve("inflight-v3.slots")).exists();
        }
    }

    @Test
    void aKilledProcessLeavesItsOpenAttemptsToTheNextStart() throws Exception {
        Process child = ChildJvm.builder(List.of("-Xmx128m", "--enable-native-access=ALL-UNNAMED"), InFlightCrashChild.class,
                dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("ready");
            // SIGKILL: no shutdown hook, no close, no msync. Only what is in the kernel's page cache survives.
            ChildJvm.sigkill(child);
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
            // After message_start (output 1) the child relayed 30 deltas of 9 bytes into each attempt left open: 90 tokens.
            SpendRow restarted = rows.stream().filter(r -> "gateway_restart".equals(r.group().get("error_type"))).findFirst().orElseThrow();
            assertThat(restarted.outputTokens()).isEqualTo(3 * 90);

        }
    }
}
