package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every report shape read through the daily rollup equals the raw ledger scan, row for row and in the same order,
 * on a randomized ledger: retries into other statuses, models, upstream keys and days, cache hits, estimated usage,
 * several tags (one in fifty requests changes a tag between attempts), records written out of order, duplicated in
 * a batch with other content, and whole batches replayed. Then again after the V12 migration rebuilt the rollup.
 */
class RollupExactnessTest {
    private static final Instant BASE = Instant.parse("2026-11-10T00:00:00Z");
    private static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-6", "claude-haiku-4-5"};

    @TempDir
    Path dir;

    /**
     * {@code sqlite-few-ids}: the writer's memory of the ids it wrote ({@link LedgerIds}) holds 8, so most retries and
     * replays find their request's ids let go and under the floor, and must be read back from the ledger.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "sqlite-few-ids", "postgres"})
    void rollupReportsEqualRawScans(String store) throws SQLException {
        boolean pg = store.equals("postgres");
        StoreSettings settings = pg ? PostgresForTests.freshDatabase(dir) : StoreSettings.sqlite(dir);
        try (Database db = Database.open(settings)) {
            LedgerTable table = store.equals("sqlite-few-ids")
                    ? new LedgerTable(db.dataSource(), false, new RollupTable(false, new LedgerIds(8)))
                    : new LedgerTable(db.dataSource(), pg);
            write(table, ledger(new Random(7)), new Random(11));
            SpendReports raw = new SpendReports(db.dataSource(), pg, false);
            SpendReports rolled = new SpendReports(db.dataSource(), pg, true);
            int compared = compareAll(raw, rolled);
            assertThat(compared).isGreaterThan(1_000);

            // An upgrade from a database at V11: the rollup empty and V12 (and what came after it, undone here) not yet applied;
            // opening the database runs Flyway, which finds the Java migration by its package and fills the rollup
            // from the ledger.
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM spend_daily");
                s.executeUpdate("DROP TABLE message_batches"); // V13, V14, V16
                s.executeUpdate("ALTER TABLE signin_refresh_used DROP COLUMN rotated_ms"); // V15
                s.executeUpdate("ALTER TABLE signin_refresh_used DROP COLUMN successor");
                for (String index : new String[] {"key", "user", "team"}) { // V17: whole indexes again, as V1 made them
                    s.executeUpdate("DROP INDEX ledger_" + index + "_ts");
                    s.executeUpdate("CREATE INDEX ledger_" + index + "_ts ON ledger (" + index + "_id, ts_ms)");
                }
                assertThat(s.executeUpdate("DELETE FROM flyway_schema_history WHERE version IN ('12', '13', '14', '15', '16', "
                        + "'17')")).isEqualTo(6);
            }
            Database.open(settings).close();
            compareAll(raw, rolled);
        }
    }

    /** Compares every query shape; returns the number of rows compared. */
    private static int compareAll(SpendReports raw, SpendReports rolled) {
        List<List<String>> groupings = new ArrayList<>();
        groupings.add(List.of());
        for (String d : SpendQuery.DIMENSIONS) {
            groupings.add(List.of(d));
        }
        groupings.addAll(List.of(List.of("tag:repo"), List.of("tag:feature"), List.of("tag:absent"),
                List.of("team", "model"), List.of("day", "provider"), List.of("user", "tag:repo"),
                List.of("status", "error_type"), List.of("month", "cache_status"), List.of("model", "upstream_key", "day"),
                List.of("tag:repo", "tag:feature", "status")));
        List<Map<String, String>> filters = new ArrayList<>();
        filters.add(Map.of());
        filters.add(Map.of("team", "team-1"));
        filters.add(Map.of("status", "529"));
        Map<String, String> noError = new HashMap<>();
        noError.put("error_type", null);
        filters.add(noError);
        filters.add(Map.of("tag:repo", "repo-2"));
        filters.add(Map.of("provider", "anthropic", "day", "2026-11-12"));
        List<Instant[]> periods = List.of(
                new Instant[] {null, null},
                new Instant[] {BASE.plus(Duration.ofDays(2)), null},
                new Instant[] {BASE.plus(Duration.ofDays(2)).plusSeconds(3_600 * 13 + 7), null},
                new Instant[] {null, BASE.plus(Duration.ofDays(6)).plusSeconds(60)},
                new Instant[] {BASE.plus(Duration.ofDays(1)).plusSeconds(86_399), BASE.plus(Duration.ofDays(9)).plusSeconds(1)},
                new Instant[] {BASE.plus(Duration.ofDays(3)), BASE.plus(Duration.ofDays(5))},
                new Instant[] {BASE.plus(Duration.ofDays(3)).plusSeconds(100), BASE.plus(Duration.ofDays(3)).plusSeconds(80_000)},
                new Instant[] {BASE.plus(Duration.ofDays(4)), BASE.plus(Duration.ofDays(4)).plusSeconds(43_200)});
        int rows = 0;
        for (List<String> by : groupings) {
            for (Map<String, String> f : filters) {
                for (Instant[] p : periods) {
                    SpendQuery q = new SpendQuery(by, p[0], p[1], f);
                    List<SpendRow> expected = raw.report(q);
                    assertThat(rolled.report(q)).as("%s %s %s..%s", by, f, p[0], p[1]).isEqualTo(expected);
                    rows += expected.size();
                }
            }
        }
        return rows;
    }

    /** 1,500 requests over ten days, each with its attempts in order. */
    private static List<LedgerRecord> ledger(Random r) {
        List<LedgerRecord> out = new ArrayList<>();
        for (int n = 0; n < 1_500; n++) {
            // Many requests start in the last minutes of a day, so their retries land on the next one.
            long day = r.nextInt(10);
            long inDay = r.nextInt(4) == 0 ? 86_400_000L - r.nextInt(120_000) : r.nextInt(86_400_000);
            Instant t = BASE.plusMillis(day * 86_400_000L + inDay);
            String id = "req_" + n;
            int user = r.nextInt(6);
            Map<String, String> tags = new HashMap<>();
            if (r.nextBoolean()) {
                tags.put("repo", "repo-" + r.nextInt(3));
            }
            if (r.nextInt(3) == 0) {
                tags.put("feature", r.nextBoolean() ? "checkout" : "");
            }
            String session = r.nextInt(4) == 0 ? null : "s-" + r.nextInt(5);
            String requested = MODELS[r.nextInt(MODELS.length)];
            if (r.nextInt(8) == 0) {
                out.add(record(id, 0, t, user, tags, session, requested, "cache", null, 200, null,
                        r.nextBoolean() ? "hit" : "semantic", r, 0));
                continue;
            }
            int attempts = r.nextInt(3) == 0 ? 2 + r.nextInt(4) : 1;
            String cacheStatus = r.nextInt(5) == 0 ? null : r.nextBoolean() ? "miss" : "bypass";
            for (int a = 1; a <= attempts; a++) {
                boolean last = a == attempts;
                int status = last ? (r.nextInt(10) == 0 ? 529 : 200) : (r.nextBoolean() ? 529 : 500);
                String error = status == 200 ? null : r.nextBoolean() ? "overloaded_error" : "api_error";
                String served = r.nextInt(3) == 0 ? MODELS[r.nextInt(MODELS.length)] : r.nextInt(10) == 0 ? null : requested;
                if (r.nextInt(50) == 0) {
                    tags.put("repo", "repo-changed"); // a later attempt that disagrees on a tag
                }
                long gap = r.nextInt(20) == 0 ? 86_400_000L * (1 + r.nextInt(2)) : r.nextInt(90_000);
                t = t.plusMillis(gap);
                out.add(record(id, a, t, user, tags, session, requested, r.nextBoolean() ? "anthropic" : "bedrock", served,
                        status, error, cacheStatus, r, 1));
            }
        }
        return out;
    }

    private static LedgerRecord record(String id, int attempt, Instant t, int user, Map<String, String> tags, String session,
                                       String requested, String provider, String served, int status, String error,
                                       String cacheStatus, Random r, int billed) {
        Usage u = new Usage(billed * r.nextInt(40_000), billed * r.nextInt(3_000), billed * r.nextInt(5_000),
                billed * r.nextInt(60_000), billed * r.nextInt(2_000), billed * r.nextInt(3_000), billed * r.nextInt(3),
                billed * r.nextInt(2));
        String team = user == 5 ? null : "team-" + user % 3;
        return new LedgerRecord(id, attempt, t, "key-" + user, "laptop-" + user, "user-" + user, team, "org-" + user % 2,
                new HashMap<>(tags), session, r.nextBoolean() ? "claude-cli" : "sdk", r.nextInt(6) == 0 ? "chat" : "messages",
                requested, served, provider, billed == 0 ? null : "key-" + r.nextInt(3), status, error, u, r.nextInt(9) == 0,
                billed * (long) r.nextInt(Integer.MAX_VALUE) * 7, billed * (long) r.nextInt(50_000_000),
                billed == 0 ? r.nextInt(90_000_000) : 0, cacheStatus, r.nextInt(9_000), r.nextInt(900), r.nextInt(9), true,
                billed == 0 ? r.nextInt(40_000) : 0, billed == 0 ? r.nextInt(3_000) : 0, null);
    }

    /**
     * Writes the records through the writer's insert in batches of random size, shuffled within a window (so a
     * retry can be written before the attempt it followed), with duplicates of other content and replayed batches.
     */
    private static void write(LedgerTable table, List<LedgerRecord> records, Random r) throws SQLException {
        List<LedgerRecord> shuffled = new ArrayList<>(records);
        for (int i = 0; i < shuffled.size(); i++) {
            int j = Math.min(shuffled.size() - 1, i + r.nextInt(6));
            LedgerRecord a = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, a);
        }
        List<List<LedgerRecord>> written = new ArrayList<>();
        int i = 0;
        while (i < shuffled.size()) {
            int size = 1 + r.nextInt(120);
            List<LedgerRecord> batch = new ArrayList<>(shuffled.subList(i, Math.min(shuffled.size(), i + size)));
            i += size;
            if (r.nextInt(4) == 0) {
                LedgerRecord first = batch.get(r.nextInt(batch.size()));
                batch.add(TestRecords.withUsage(first, new Usage(1, 1, 1, 1, 1, 1, 1, 1))); // the insert keeps the first
            }
            table.insert(batch);
            written.add(batch);
            if (r.nextInt(10) == 0) {
                table.insert(written.get(r.nextInt(written.size()))); // a journal replay after a crash
            }
        }
    }
}
