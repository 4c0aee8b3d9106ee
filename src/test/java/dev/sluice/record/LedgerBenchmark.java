package dev.sluice.record;

import ch.qos.logback.classic.Level;
import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.LoggerFactory;

/**
 * Ledger throughput: {@code threads} request threads append {@code records} realistic records as fast as they
 * can; the clock stops when the last one is committed. Prints accepted and committed records per second, the
 * append latency a request thread pays, and checks zero loss (rows in the table = records appended, dropped 0).
 * Target: at least 5,000 records/s committed on each database. Not a unit test; run it by hand:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/test.cp) dev.sluice.record.LedgerBenchmark [records] [threads] [sqlite,postgres]
 * </pre>
 */
public final class LedgerBenchmark {

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<String> kinds = List.of((args.length > 2 ? args[2] : "sqlite,postgres").split(","));
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        System.out.printf("ledger benchmark: %,d records, %d appending threads, %d cores%n", records, threads,
                Runtime.getRuntime().availableProcessors());
        boolean ok = true;
        for (String kind : kinds) {
            Path dir = Files.createTempDirectory("sluice-bench-" + kind);
            StoreSettings settings = kind.equals("sqlite") ? StoreSettings.sqlite(dir) : PostgresForTests.freshDatabase(dir);
            try (Database db = Database.open(settings)) {
                ok &= run(kind, db, dir, records, threads);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(String kind, Database db, Path dir, int records, int threads) throws Exception {
        LedgerRecord template = TestRecords.record("template", 0, "team-a", "claude-sonnet-4-5-20250929",
                Map.of("repo", "sluice", "feature", "ledger"), 12_345_678L, TestRecords.T0);
        long[][] latencies = new long[threads][];
        long start;
        long accepted;
        long committed;
        LedgerStats stats;
        try (JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir));
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                int share = records / threads + (t < records % threads ? 1 : 0);
                latencies[t] = new long[share];
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        LedgerRecord r = copy(template, "bench-" + thread + "-" + i);
                        long t0 = System.nanoTime();
                        ledger.append(r);
                        latencies[thread][i] = System.nanoTime() - t0;
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            accepted = System.nanoTime();
            if (!ledger.awaitFlushed(Duration.ofMinutes(5))) {
                System.out.println(kind + ": FAILED to flush within 5 minutes: " + ledger.stats());
                return false;
            }
            committed = System.nanoTime();
            stats = ledger.stats();
        }
        long rows = count(db);
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double commitSeconds = (committed - start) / 1e9;
        System.out.printf("%-8s accepted %,9.0f rec/s | committed %,9.0f rec/s (%.2f s) | append p50 %.1f µs p99 %.1f µs "
                        + "max %.1f ms | rows %,d, dropped %d, rejected %d%n",
                kind, records / ((accepted - start) / 1e9), records / commitSeconds, commitSeconds,
                all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3, all[all.length - 1] / 1e6,
                rows, stats.dropped(), stats.rejected());
        boolean ok = rows == records && stats.dropped() == 0 && stats.rejected() == 0;
        if (!ok) {
            System.out.println(kind + ": LOSS: expected " + records + " rows");
        }
        return ok;
    }

    private static LedgerRecord copy(LedgerRecord r, String id) {
        return new LedgerRecord(id, 0, r.time(), r.keyId(), r.keyAlias(), r.userId(), r.teamId(), r.orgId(), r.tags(),
                r.sessionId(), r.client(), r.endpoint(), r.requestedModel(), r.servedModel(), r.provider(),
                r.upstreamKeyAlias(), r.status(), r.errorType(), r.usage(), r.usageEstimated(), r.costNanoUsd(),
                r.providerCacheSavingsNanoUsd(), r.gatewayCacheSavingsNanoUsd(), r.cacheStatus(), r.latencyMs(),
                r.ttfbMs(), r.gatewayMs(), r.stream());
    }

    private static long count(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
