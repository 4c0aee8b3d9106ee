package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V17 made the key, user and team indexes partial ({@code WHERE col IS NOT NULL}): rows without the value
 * cost the writer no insert there. Every query that used them asks for one value, and still walks them: the budget
 * history's sums for one entity and a pool's member sums ({@code budget.history.LedgerSpend}, also a caller's usage),
 * planned here as prepared statements (PostgreSQL: its generic plan, which must hold for any value bound).
 */
class LedgerIndexPlanTest {
    @TempDir
    Path dir;

    /** LedgerSpend's WHERE clause, for one entity of each indexed column, and for a pool's members. */
    private static final String SUMS = "SELECT org_id, %s, ts_ms / ?, SUM(cost_nano_usd) FROM ledger "
            + "WHERE ts_ms >= ? AND ts_ms < ? AND %s = ? GROUP BY 1, 2, 3";
    private static final String MEMBERS = "SELECT org_id, user_id, ts_ms / ?, SUM(cost_nano_usd) FROM ledger "
            + "WHERE ts_ms >= ? AND ts_ms < ? AND %s = ? GROUP BY 1, 2, 3";

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void entityQueriesUseThePartialIndexes(String store) throws SQLException {
        boolean pg = store.equals("postgres");
        try (Database db = Database.open(pg ? PostgresForTests.freshDatabase(dir) : StoreSettings.sqlite(dir));
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String column : new String[] {"key_id", "user_id", "team_id"}) {
                String index = "ledger_" + column.replace("_id", "") + "_ts";
                assertThat(definition(s, pg, index)).as(index).containsIgnoringCase(column + " IS NOT NULL");
                assertThat(plan(s, pg, SUMS.formatted(column, column))).as(column).contains(index);
                if (!column.equals("user_id")) {
                    assertThat(plan(s, pg, MEMBERS.formatted(column))).as("members of a " + column).contains(index);
                }
            }
        }
    }

    private static String definition(Statement s, boolean pg, String index) throws SQLException {
        String sql = pg ? "SELECT indexdef FROM pg_indexes WHERE indexname = '" + index + "'"
                : "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '" + index + "'";
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(index).isTrue();
            return rs.getString(1);
        }
    }

    private static String plan(Statement s, boolean pg, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        if (pg) {
            // An empty table is cheaper to scan than to search: forbid that, and plan for any value (a generic plan).
            s.execute("SET enable_seqscan = off");
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE q(bigint, bigint, bigint, text) AS " + number(sql));
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE q(1, 0, 1, 'x')")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            s.execute("DEALLOCATE q");
        } else {
            try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                while (rs.next()) {
                    lines.add(rs.getString("detail"));
                }
            }
        }
        return String.join("\n", lines);
    }

    /** {@code ?} as {@code $1, $2, ...} for PREPARE. */
    private static String number(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            out.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        return out.toString();
    }
}
