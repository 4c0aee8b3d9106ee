package dev.sluice.admin.dashboard;

import ch.qos.logback.classic.Level;
import dev.sluice.admin.AdminParts;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.LedgerRecord;
import dev.sluice.record.LedgerSettings;
import dev.sluice.record.SpendReports;
import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.LoggerFactory;

/**
 * How long each dashboard data call takes on a ledger of {@code records} attempts spread over 30 days (50 users in
 * 10 teams, 8 models, a repo tag, one request in ten retried once): the median and the slowest of 7 runs after one
 * warm-up, per call and store. Not a unit test; run it by hand:
 *
 * <pre>
 * ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/test.cp) \
 *      dev.sluice.admin.dashboard.DashboardBenchmark [records] [sqlite,postgres]
 * </pre>
 */
public final class DashboardBenchmark {
    private static final int RUNS = 7;

    private DashboardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        List<String> stores = List.of((args.length > 1 ? args[1] : "sqlite,postgres").split(","));
        for (String store : stores) {
            Path dir = Files.createTempDirectory("dash-bench");
            StoreSettings settings = store.equals("sqlite") ? StoreSettings.sqlite(dir) : PostgresForTests.freshDatabase(dir);
            try (Database db = Database.open(settings)) {
                long t0 = System.nanoTime();
                String lastId = fill(db, dir, records);
                System.out.printf("%s: %,d records written in %.1f s%n", store, records, (System.nanoTime() - t0) / 1e9);
                IdentityStore ids = new IdentityStore(db);
                DashboardData data = new DashboardData(AdminParts.basic(ids, new KeyRegistry(ids, Clock.systemUTC(), Duration.ofMinutes(10)),
                        new SpendReports(db), new AdminConfig(List.of()), LiveConfig.fixed(SluiceConfig.defaults(), List.of())), db);
                time(data, "summary", "period", "today");
                time(data, "summary", "period", "7d");
                time(data, "summary", "period", "30d");
                time(data, "breakdown", "period", "30d", "by", "team");
                time(data, "breakdown", "period", "30d", "by", "user");
                time(data, "breakdown", "period", "30d", "by", "tag:repo");
                time(data, "cache", "period", "30d");
                time(data, "latency", "period", "30d");
                time(data, "requests", "period", "30d", "limit", "50");
                time(data, "requests", "period", "30d", "limit", "200");
                time(data, "requests/" + lastId);
            }
        }
        System.exit(0);
    }

    private static void time(DashboardData data, String call, String... params) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < params.length; i += 2) {
            m.add(params[i], params[i + 1]);
        }
        data.answer(call, m, Instant.now()); // warm-up
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            data.answer(call, m, Instant.now());
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("  %-14s %-28s median %7.1f ms   max %7.1f ms%n", call.startsWith("requests/") ? "requests/{id}" : call,
                String.join(" ", params), ms[RUNS / 2], ms[RUNS - 1]);
    }

    private static String fill(Database db, Path dir, int records) {
        Random r = new Random(42);
        Instant now = Instant.now();
        long span = Duration.ofDays(30).toMillis();
        String[] models = {"claude-sonnet-4-5", "claude-opus-4-6", "claude-haiku-4-5", "gpt-4o", "claude-sonnet-4-6",
                "claude-opus-4-5", "gemini-2.5-pro", "claude-3-7-sonnet"};
        String last = null;
        try (JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            int written = 0;
            for (int n = 0; written < records; n++) {
                // Oldest first, as the gateway writes them; request ids sort by time like RequestIds'.
                Instant t = now.minusMillis(span - span * (long) written / records);
                String id = String.format("req_%012d", n);
                int user = r.nextInt(50);
                boolean retried = r.nextInt(10) == 0 && written + 1 < records;
                for (int attempt = 1; attempt <= (retried ? 2 : 1); attempt++) {
                    boolean failed = retried && attempt == 1;
                    ledger.append(new LedgerRecord(id, attempt, t, "key-" + user, "laptop-" + user, "user-" + user, "team-" + user % 10,
                            "org-1", Map.of("repo", "repo-" + user % 7), null, "claude-cli", "/v1/messages", models[r.nextInt(8)], null,
                            "anthropic", "primary", failed ? 529 : 200, failed ? "overloaded_error" : null,
                            new Usage(2_000 + r.nextInt(30_000), 200 + r.nextInt(2_000), 0, r.nextInt(20_000), 0, 0, 0, 0), false,
                            failed ? 0 : r.nextInt(200_000_000), r.nextInt(10_000_000), 0, "miss", 500 + r.nextInt(20_000),
                            300 + r.nextInt(2_000), 1 + r.nextInt(5), true));
                    written++;
                }
                last = id;
            }
            if (!ledger.awaitFlushed(Duration.ofMinutes(5))) {
                throw new IllegalStateException("ledger not flushed");
            }
        }
        return last;
    }
}
