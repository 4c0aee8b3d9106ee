package dev.sluice.record;

import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import dev.sluice.wire.Usage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The ledger writer's database step alone: {@code LedgerTable.insert} in batches of 500 (the writer's largest) of
 * DashboardBenchmark's records (50 users in 10 teams, 8 models, a repo tag, one request in ten retried once, 30 days),
 * on a fresh database. Prints records per second of wall time and of the writer thread's CPU time, so the cost of the
 * daily rollup can be compared with the classes from before it (the same file compiled against them). Not a unit test:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/test.cp) \
 *      dev.sluice.record.LedgerWriteBench [records] [sqlite|postgres]
 * </pre>
 */
public final class LedgerWriteBench {
    private static final int BATCH = 500;

    private LedgerWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ROOT")).setLevel(ch.qos.logback.classic.Level.WARN);
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        String store = args.length > 1 ? args[1] : "sqlite";
        Path dir = Files.createTempDirectory("write-bench");
        StoreSettings settings = store.equals("sqlite") ? StoreSettings.sqlite(dir) : PostgresForTests.freshDatabase(dir);
        List<LedgerRecord> all = records(records);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Database db = Database.open(settings)) {
            LedgerTable table = new LedgerTable(db.dataSource(), db.isPostgres());
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < all.size(); i += BATCH) {
                table.insert(all.subList(i, Math.min(all.size(), i + BATCH)));
            }
            double wallS = (System.nanoTime() - wall) / 1e9;
            double cpuS = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("%s: %,d records in %.2f s wall (%,.0f rec/s), writer CPU %.2f s (%,.0f rec/s)%n", store,
                    records, wallS, records / wallS, cpuS, records / cpuS);
        }
        System.exit(0);
    }

    private static List<LedgerRecord> records(int records) {
        Random r = new Random(42);
        Instant end = Instant.parse("2026-11-30T00:00:00Z");
        long span = Duration.ofDays(30).toMillis();
        String[] models = {"claude-sonnet-4-5", "claude-opus-4-6", "claude-haiku-4-5", "gpt-4o", "claude-sonnet-4-6",
            "claude-opus-4-5", "gemini-2.5-pro", "claude-3-7-sonnet"};
        List<LedgerRecord> out = new ArrayList<>(records);
        for (int n = 0; out.size() < records; n++) {
            Instant t = end.minusMillis(span - span * (long) out.size() / records);
            int user = r.nextInt(50);
            boolean retried = r.nextInt(10) == 0 && out.size() + 1 < records;
            for (int attempt = 1; attempt <= (retried ? 2 : 1); attempt++) {
                boolean failed = retried && attempt == 1;
                out.add(new LedgerRecord(String.format("req_%012d", n), attempt, t, "key-" + user, "laptop-" + user,
                        "user-" + user, "team-" + user % 10, "org-1", Map.of("repo", "repo-" + user % 7), null, "claude-cli",
                        "/v1/messages", models[r.nextInt(8)], null, "anthropic", "primary", failed ? 529 : 200,
                        failed ? "overloaded_error" : null,
                        new Usage(2_000 + r.nextInt(30_000), 200 + r.nextInt(2_000), 0, r.nextInt(20_000), 0, 0, 0, 0), false,
                        failed ? 0 : r.nextInt(200_000_000), r.nextInt(10_000_000), 0, "miss", 500 + r.nextInt(20_000),
                        300 + r.nextInt(2_000), 1 + r.nextInt(5), true));
            }
        }
        return out;
    }
}
