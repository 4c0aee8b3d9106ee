package dev.sluice.identity;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code store_changes} table: identity changes made straight in the store (the CLI), one row per write
 * transaction, written inside it. A gateway reads the rows after the last one it copied and writes them to its audit
 * log, so a key issued from a shell is in the trail like one issued through the admin API.
 */
public final class StoreChanges {
    /** One change: when, who, what ({@code key.rotate}) and the id it names. */
    public record Row(long seq, long tsMillis, String who, String action, String object) {
    }

    private final Sql sql;

    public StoreChanges(Database db) {
        this.sql = new Sql(db.dataSource(), db.isPostgres());
    }

    /** Up to {@code limit} rows after {@code seq}, oldest first. */
    public List<Row> after(long seq, int limit) {
        return sql.read("read store changes", c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT seq, ts_ms, who, action, object FROM store_changes"
                    + " WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit); ResultSet rs = ps.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
                return rows;
            }
        });
    }

    /**
     * Records one write, described as {@link IdentityStore} describes its transactions ("rotate key k_1", "issue key
     * for ana"), as an action and the id it names.
     */
    static void record(Connection c, long tsMillis, String who, String what) throws SQLException {
        String[] w = what.split(" ", 3);
        String action;
        String object;
        if (w.length == 3 && "issue".equals(w[0]) && w[2].startsWith("for ")) {
            action = "key.issue";
            object = "user " + w[2].substring(4);
        } else if (w.length == 3) {
            action = w[1] + "." + w[0];
            object = w[2];
        } else {
            action = "identity.change";
            object = what;
        }
        Sql.update(c, "INSERT INTO store_changes (ts_ms, who, action, object) VALUES (?, ?, ?, ?)", tsMillis, who,
                action, object);
    }
}
