package dev.sluice.record;

import static dev.sluice.record.TestRecords.T0;
import static dev.sluice.record.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's behaviour, run against SQLite and against a real PostgreSQL by the two subclasses. */
abstract class LedgerContractTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The database under test, open for the whole class. */
    abstract Database db();

    @BeforeEach
    void emptyLedger() throws SQLException {
        execute("DELETE FROM ledger");
        execute("DELETE FROM spend_daily"); // the rollup the ledger writer keeps beside it
    }

    private LedgerSettings settings() {
        return LedgerSettings.defaults(dir);
    }

    private JournaledLedger open(TestDataSource ds, LedgerSettings s) {
        return JournaledLedger.open(ds.dataSource, db().isPostgres(), s);
    }

    @Test
    void appendIsIdempotentOnRequestIdAndAttempt() throws Exception {
        try (JournaledLedger ledger = JournaledLedger.open(db(), settings())) {
            ledger.append(record("req-a", 0, "team-a", "m", Map.of(), 111, T0));
            ledger.append(record("req-a", 0, "team-a", "m", Map.of(), 999, T0)); // a retry of the same attempt
            ledger.append(record("req-a", 1, "team-a", "m", Map.of(), 222, T0)); // the next attempt bills
            ledger.append(record("req-b", 0, "team-a", "m", Map.of(), 333, T0));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(3);
            assertThat(count("SELECT SUM(cost_nano_usd) FROM ledger")).isEqualTo(111 + 222 + 333);
            assertThat(ledger.stats().recordsWritten()).isEqualTo(4);
            assertThat(ledger.stats().dropped()).isZero();
        }
        assertThat(journalFiles()).isEmpty(); // clean close: everything committed, nothing to replay
    }

    @Test
    void replaysTheJournalAfterACrashWithoutBillingTwice() throws Exception {
        try (JournaledLedger ledger = JournaledLedger.open(db(), settings())) {
            for (int i = 0; i < 50; i++) {
                ledger.append(record("crash-" + i, 0)); // these reached the database before the crash
            }
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
        }
        TestDataSource unreachable = new TestDataSource(db().dataSource());
        unreachable.down = true;
        JournaledLedger dying = open(unreachable, settings());
        for (int i = 0; i < 300; i++) {
            dying.append(record("crash-" + i, 0)); // 0..49 again (a replay overlap), 50..299 only in the journal
        }
        dying.crashForTest();
        assertThat(journalFiles()).isNotEmpty();
        assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(50);
        // A torn last line, as a host crash mid-write can leave: skipped, counted, not fatal.
        Files.write(journalFiles().getLast(), "0badc0de {\"v\":1,\"request_id\":\"torn".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        try (JournaledLedger restarted = JournaledLedger.open(db(), settings())) {
            assertThat(restarted.awaitFlushed(WAIT)).isTrue();
            assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(300);
            assertThat(count("SELECT COUNT(DISTINCT request_id) FROM ledger")).isEqualTo(300);
            LedgerStats stats = restarted.stats();
            assertThat(stats.corrupt()).isEqualTo(1);
            assertThat(stats.backlog()).isFalse();
            assertThat(stats.recordsWritten()).isEqualTo(300);
        }
    }

    @Test
    void concurrentAppendsAreBatchedAndNoneIsLost() throws Exception {
        TestDataSource counting = new TestDataSource(db().dataSource());
        int threads = 4;
        int each = 1_000;
        try (JournaledLedger ledger = open(counting, settings());
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ledger.append(record("c-" + thread + "-" + i, 0));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            LedgerStats stats = ledger.stats();
            assertThat(stats.recordsAppended()).isEqualTo(threads * each);
            assertThat(stats.recordsWritten()).isEqualTo(threads * each);
            assertThat(stats.dropped()).isZero();
            assertThat(stats.flushLagMillis()).isZero();
        }
        assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(threads * each);
        assertThat(counting.connections.get()).as("transactions").isLessThan(threads * each / 5);
    }

    @Test
    void anErrorInTheWriterLosesNeitherTheWriterNorTheBatchItHeld() throws Exception {
        TestDataSource failing = new TestDataSource(db().dataSource());
        try (JournaledLedger ledger = open(failing, settings())) {
            ledger.append(record("before-0", 0));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            failing.errorOnce = new OutOfMemoryError("Java heap space (test)");
            for (int i = 0; i < 50; i++) {
                ledger.append(record("oom-" + i, 0));
            }
            assertThat(ledger.awaitFlushed(WAIT)).as("the writer outlives the error and writes the batch it held").isTrue();
            assertThat(failing.errorOnce).as("the error was thrown").isNull();
            ledger.append(record("after-0", 0));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            assertThat(ledger.writing()).isTrue();
        }
        assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(52);
    }

    @Test
    void spillsToTheJournalWhileTheDatabaseIsDownAndCatchesUp() throws Exception {
        TestDataSource flaky = new TestDataSource(db().dataSource());
        flaky.down = true;
        try (JournaledLedger ledger = open(flaky, settings().withQueueCapacity(16).withSegmentBytes(16 * 1024))) {
            for (int i = 0; i < 400; i++) {
                ledger.append(record("spill-" + i, 0));
            }
            LedgerStats down = ledger.stats();
            assertThat(down.queueDepth()).isLessThanOrEqualTo(16);
            assertThat(down.backlog()).isTrue();
            assertThat(down.recordsAppended()).isEqualTo(400);
            assertThat(down.journalBytes()).isGreaterThan(16 * 1024); // rotated segments are kept while uncommitted
            long until = System.nanoTime() + WAIT.toNanos();
            while (ledger.stats().lastError() == null && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(20);
            assertThat(ledger.stats().lastError()).contains("database down");
            assertThat(ledger.stats().flushLagMillis()).isGreaterThan(0);

            flaky.down = false;
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            LedgerStats up = ledger.stats();
            assertThat(up.recordsWritten()).isEqualTo(400);
            assertThat(up.backlog()).isFalse();
            assertThat(up.lastError()).isNull();
            assertThat(up.journalBytes()).isLessThan(16 * 1024); // committed segments deleted
        }
        assertThat(count("SELECT COUNT(*) FROM ledger")).isEqualTo(400);
    }

    @Test
    void reportsGroupByDimensionsTagsAndPeriod() throws Exception {
        Instant day1 = T0;
        Instant day2 = T0.plus(Duration.ofDays(1));
        try (JournaledLedger ledger = JournaledLedger.open(db(), settings())) {
            ledger.append(record("r1", 0, "alpha", "claude-sonnet-4-5", Map.of("repo", "api"), 1_000_000_000L, day1));
            ledger.append(record("r2", 0, "alpha", "claude-sonnet-4-5", Map.of("repo", "web"), 2, day1));
            ledger.append(record("r3", 0, "alpha", "claude-opus-4-6", Map.of("repo", "api", "env", "ci"), 30, day2));
            ledger.append(record("r4", 0, "beta", "claude-sonnet-4-5", Map.of(), 400, day2));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();

            List<SpendRow> byTeamModel = ledger.report(SpendQuery.by("team", "model"));
            assertThat(byTeamModel).extracting(r -> r.group().get("team") + "/" + r.group().get("model") + "=" + r.costNanoUsd())
                    .containsExactly("alpha/claude-sonnet-4-5=1000000002", "beta/claude-sonnet-4-5=400",
                            "alpha/claude-opus-4-6=30");
            SpendRow first = byTeamModel.getFirst();
            assertThat(first.requests()).isEqualTo(2);
            assertThat(first.inputTokens()).isEqualTo(200);
            assertThat(first.cacheWrite5mTokens()).isEqualTo(20); // per record: 30 written, 20 of them 1h
            assertThat(first.cacheWrite1hTokens()).isEqualTo(40);
            assertThat(first.costUsd()).isEqualByComparingTo("1.000000002");

            assertThat(ledger.report(SpendQuery.by("tag:repo")))
                    .extracting(r -> r.group().get("tag:repo") + "=" + r.requests())
                    .containsExactly("api=2", "null=1", "web=1");
            assertThat(ledger.report(SpendQuery.by("day").where("tag:env", "ci")))
                    .extracting(r -> r.group().get("day") + "=" + r.costNanoUsd()).containsExactly("2026-11-21=30");
            assertThat(ledger.report(SpendQuery.by().between(day2, day2.plusSeconds(1))))
                    .extracting(SpendRow::requests).containsExactly(2L);
            assertThat(ledger.report(SpendQuery.by("month").where("team", "beta").where("tag:repo", null)))
                    .extracting(r -> r.group().get("month") + "=" + r.requests()).containsExactly("2026-11=1");
            assertThat(ledger.report(SpendQuery.by("team").between(T0.minusSeconds(60), T0.minusSeconds(1)))).isEmpty();
        }
    }

    /**
     * {@code GET /sluice/v1/requests/{id}} is how a caller learns what a stream cost. PostgreSQL stores the flags as
     * BOOLEAN, which its driver will not read as a number: the lookup must read them as booleans on both stores.
     */
    @Test
    void aCallerReadsItsOwnRequestsRecordsBack() throws Exception {
        try (JournaledLedger ledger = JournaledLedger.open(db(), settings())) {
            ledger.append(record("call-1", 1, "alpha", "claude-sonnet-4-5", Map.of(), 1_500_000_000L, T0));
            LedgerRecord estimated = record("call-1", 2, "alpha", "claude-sonnet-4-5", Map.of(), 7, T0);
            ledger.append(new LedgerRecord(estimated.requestId(), estimated.attempt(), estimated.time(), estimated.keyId(),
                    estimated.keyAlias(), estimated.userId(), estimated.teamId(), estimated.orgId(), estimated.tags(),
                    estimated.sessionId(), estimated.client(), estimated.endpoint(), estimated.requestedModel(),
                    estimated.servedModel(), estimated.provider(), estimated.upstreamKeyAlias(), 200, null, estimated.usage(),
                    true, 7, 0, 0, "miss", 1, 1, 1, false));
            ledger.append(new LedgerRecord("call-2", 1, T0, "key-alpha", "alias-alpha", "user-1", "alpha", "org-1", Map.of(),
                    null, null, "/v1/messages", "acme-model", "acme-model", "openai", "o", 200, null, estimated.usage(), false,
                    11, 0, 0, "miss", 1, 1, 1, false, 0, 0, null, true));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
        }
        // A model the price table did not know is billed at its default, and the record says so.
        assertThat(count("SELECT COUNT(*) FROM ledger WHERE default_priced")).isEqualTo(1);
        assertThat(new CallLookup(db().dataSource()).find("call-2", "key-alpha").at("/attempts/0/default_priced").asBoolean())
                .isTrue();
        CallLookup lookup = new CallLookup(db().dataSource());
        var found = lookup.find("call-1", "key-alpha");
        assertThat(found).isNotNull();
        assertThat(found.path("cost_usd").asText()).isEqualTo("1.500000007");
        assertThat(found.path("attempts")).hasSize(2);
        assertThat(found.at("/attempts/0/usage_estimated").asBoolean()).isFalse();
        assertThat(found.at("/attempts/0/stream").asBoolean()).isTrue();
        assertThat(found.at("/attempts/1/usage_estimated").asBoolean()).isTrue();
        assertThat(found.at("/attempts/1/stream").asBoolean()).isFalse();
        assertThat(found.at("/attempts/1/default_priced").asBoolean()).isFalse();
        assertThat(lookup.find("call-1", "key-beta")).isNull(); // someone else's request
    }

    @Test
    void exportsChargebackCsv() throws Exception {
        try (JournaledLedger ledger = JournaledLedger.open(db(), settings())) {
            ledger.append(record("x1", 0, "=cmd|evil", "claude-haiku-4-5", Map.of("repo", "a,b"), 123_456_789L, T0));
            ledger.append(record("x2", 0, "plain", "claude-haiku-4-5", Map.of(), 1, T0));
            assertThat(ledger.awaitFlushed(WAIT)).isTrue();
            StringWriter csv = new StringWriter();
            ledger.exportCsv(SpendQuery.by("team", "tag:repo"), csv);
            assertThat(csv.toString()).isEqualTo("""
                    team,tag:repo,requests,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,\
                    cache_read_tokens,web_search_requests,web_fetch_requests,cost_usd,provider_cache_savings_usd,\
                    gateway_cache_savings_usd,estimated_requests,error_requests
                    '=cmd|evil,"a,b",1,100,50,10,20,200,1,0,0.123456789,0.000000007,0.000000000,0,0
                    plain,,1,100,50,10,20,200,1,0,0.000000001,0.000000007,0.000000000,0,0
                    """);
        }
    }

    private List<Path> journalFiles() throws Exception {
        Path journal = settings().journalDir();
        if (!Files.isDirectory(journal)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(p -> p.toString().endsWith(Journal.SUFFIX)).sorted()
                    .filter(p -> p.toFile().length() > 0).toList();
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
