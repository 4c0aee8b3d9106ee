package dev.sluice.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite writer reads back from the ledger only the ids it may already hold ({@link LedgerIds}): a batch of new
 * requests runs no read-back statement at all (it ran one with a placeholder per id on every commit), a retry of a
 * request written in an earlier batch reads back that one id, and a failed commit makes the next batch read the
 * ledger's largest id again. The sums stay exact throughout ({@link RollupExactnessTest} compares every report).
 */
class RollupReadBackTest {
    @TempDir
    Path dir;

    /** The ids bound to each read-back statement of the last insert. */
    private final List<List<String>> readBacks = new ArrayList<>();
    private final List<String> statements = new ArrayList<>();
    private final AtomicReference<String> failOn = new AtomicReference<>();

    @Test
    void onlyIdsTheLedgerMayHoldAreReadBack() throws SQLException {
        try (Database db = Database.open(StoreSettings.sqlite(dir))) {
            LedgerTable table = new LedgerTable(counting(db.dataSource()), false);
            insert(table, TestRecords.record("req_0001", 1), TestRecords.record("req_0002", 1));
            assertThat(statements).contains("SELECT MAX(request_id) FROM ledger"); // first batch: what does the ledger hold?
            assertThat(readBacks).isEmpty();

            insert(table, TestRecords.record("req_0003", 1), TestRecords.record("req_0004", 1));
            assertThat(statements).noneMatch(s -> s.startsWith("SELECT MAX"));
            assertThat(readBacks).as("new ids only: nothing to read back").isEmpty();

            insert(table, TestRecords.record("req_0002", 2), TestRecords.record("req_0005", 1));
            assertThat(readBacks).containsExactly(List.of("req_0002")); // a retry of a request written before

            insert(table, TestRecords.record("req_0001", 1)); // a replay
            assertThat(readBacks).containsExactly(List.of("req_0001"));

            failOn.set("INSERT INTO ledger");
            try {
                insert(table, TestRecords.record("req_0006", 1));
            } catch (SQLException expected) {
                // the commit failed: what the ledger holds is read again
            }
            failOn.set(null);
            insert(table, TestRecords.record("req_0007", 1));
            assertThat(statements).contains("SELECT MAX(request_id) FROM ledger");
            assertThat(readBacks).isEmpty();
        }
        try (Database db = Database.open(StoreSettings.sqlite(dir))) {
            // A new writer (a restart) knows nothing it wrote: every id up to the ledger's largest is read back.
            LedgerTable table = new LedgerTable(counting(db.dataSource()), false);
            insert(table, TestRecords.record("req_0003", 2), TestRecords.record("req_0008", 1));
            assertThat(readBacks).containsExactly(List.of("req_0003"));
            try (Connection c = db.dataSource().getConnection();
                 var rs = c.createStatement().executeQuery("SELECT SUM(requests), SUM(attempts) FROM spend_daily")) {
                rs.next();
                assertThat(rs.getLong(1)).as("distinct requests").isEqualTo(7);
                assertThat(rs.getLong(2)).as("attempts").isEqualTo(9);
            }
        }
    }

    @Test
    void idsLetGoRaiseTheFloor() {
        LedgerIds ids = new LedgerIds(2);
        ids.readFloor(null);
        assertThat(ids.mayHold("a")).isFalse();
        ids.committed(List.of("b", "a", "c"));
        // "b" was let go (the oldest), so everything up to it may be held; "a" too, and "c" is remembered.
        assertThat(ids.mayHold("a")).isTrue();
        assertThat(ids.mayHold("b")).isTrue();
        assertThat(ids.mayHold("c")).isTrue();
        assertThat(ids.mayHold("bb")).isFalse();
        assertThat(ids.mayHold("d")).isFalse();
        ids.forget();
        assertThat(ids.unknown()).isTrue();
        assertThat(ids.mayHold("zzz")).isTrue();
    }

    private void insert(LedgerTable table, LedgerRecord... records) throws SQLException {
        readBacks.clear();
        statements.clear();
        table.insert(List.of(records));
    }

    /** A data source whose connections note each statement, and the ids bound to each read-back. */
    private DataSource counting(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    Object r = call(real, m, args);
                    return m.getName().equals("getConnection") ? connection((Connection) r) : r;
                });
    }

    private Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    if (m.getName().equals("createStatement")) {
                        java.sql.Statement s = (java.sql.Statement) call(real, m, args);
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.Statement.class},
                                (p2, m2, a2) -> {
                                    if (m2.getName().startsWith("execute") && a2 != null && a2[0] instanceof String sql) {
                                        statements.add(sql);
                                    }
                                    return call(s, m2, a2);
                                });
                    }
                    if (!m.getName().equals("prepareStatement")) {
                        return call(real, m, args);
                    }
                    String sql = (String) args[0];
                    statements.add(sql);
                    String fail = failOn.get();
                    if (fail != null && sql.startsWith(fail)) {
                        throw new SQLException("database down (test)");
                    }
                    java.sql.PreparedStatement ps = (java.sql.PreparedStatement) call(real, m, args);
                    if (!sql.startsWith("SELECT request_id, attempt,")) {
                        return ps;
                    }
                    List<String> bound = new ArrayList<>();
                    readBacks.add(bound);
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.PreparedStatement.class},
                            (p2, m2, a2) -> {
                                if (m2.getName().equals("setString")) {
                                    bound.add((String) a2[1]);
                                }
                                return call(ps, m2, a2);
                            });
                });
    }

    private static Object call(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
