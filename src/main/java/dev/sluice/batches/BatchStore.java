package dev.sluice.batches;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code message_batches} table (migrations V13, V14 and V16, SQLite and PostgreSQL alike). Blocking JDBC: called on worker
 * threads, never on an event loop. A replica that creates a batch writes its row before the client hears the id, so
 * any replica on the same database serves the calls that follow.
 */
final class BatchStore {
    private static final String COLUMNS = "seq, id, upstream, key_alias, caller_key, caller_alias, user_id, team_id, org_id, tags,"
            + " created_ms, billed_ms, hold_id, hold_parts, request_count";
    /** Rows of batches the upstream has named (not a create still waiting for, or lost with, its answer). */
    private static final String NAMED = " AND id NOT LIKE 'pending:%'";

    /** A page of a caller's batches, newest first, and whether more lie beyond it in the direction asked. */
    record Page(List<BatchRow> rows, boolean hasMore) {
    }

    private final DataSource db;

    BatchStore(DataSource db) {
        this.db = db;
    }

    /** A batch whose budget holds may still be held: its row and what each part of the hold asked for. */
    record Held(BatchRow row, String asks) {
    }

    void insert(BatchRow r) throws SQLException {
        insert(r, null);
    }

    /** {@code holdAsks}: what each part of the batch's hold asks for ({@link BatchHolds#asks}), or null. */
    void insert(BatchRow r, String holdAsks) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO message_batches"
                + " (id, upstream, key_alias, caller_key, caller_alias, user_id, team_id, org_id, tags, created_ms, hold_id, hold_parts,"
                + " request_count, hold_asks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Identity o = r.owner();
            s.setString(1, r.id());
            s.setString(2, r.upstream());
            s.setString(3, r.keyAlias());
            s.setString(4, o.keyId());
            s.setString(5, o.keyAlias());
            s.setString(6, o.userId());
            s.setString(7, o.teamId());
            s.setString(8, o.orgId());
            s.setString(9, Json.MAPPER.writeValueAsString(o.tags()));
            s.setLong(10, r.createdMs());
            s.setString(11, r.holdId());
            s.setInt(12, r.holdParts());
            s.setInt(13, r.requests());
            s.setString(14, holdAsks);
            s.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("tags: " + e.getOriginalMessage(), e);
        }
    }

    /** The batch, or null when the gateway has none by that id (or its caller deleted it). */
    BatchRow find(String id) throws SQLException {
        if (id.startsWith(BatchRow.PENDING)) {
            return null;
        }
        List<BatchRow> rows = query("SELECT " + COLUMNS + " FROM message_batches WHERE id = ? AND deleted = FALSE", id);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    /**
     * {@code limit} of the caller's batches, newest first: older than {@code afterId} when given (the next page), else
     * newer than {@code beforeId} (the previous one), else the newest. A cursor that is not the caller's is unknown.
     */
    Page page(String callerKey, String beforeId, String afterId, int limit) throws SQLException {
        String cursor = afterId != null ? afterId : beforeId;
        long seq = Long.MAX_VALUE;
        if (cursor != null) {
            List<BatchRow> at = query("SELECT " + COLUMNS + " FROM message_batches WHERE id = ? AND caller_key = ?", cursor, callerKey);
            if (at.isEmpty()) {
                return null;
            }
            seq = seqOf(cursor);
        }
        boolean newer = afterId == null && beforeId != null;
        List<BatchRow> rows = query("SELECT " + COLUMNS + " FROM message_batches WHERE caller_key = ? AND deleted = FALSE" + NAMED
                + " AND seq "
                + (newer ? "> ? ORDER BY seq ASC" : "< ? ORDER BY seq DESC") + " LIMIT ?", callerKey, seq, limit + 1);
        boolean more = rows.size() > limit;
        List<BatchRow> page = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
        if (newer) {
            Collections.reverse(page);
        }
        return new Page(page, more);
    }

    /** Up to {@code limit} batches whose results may still be owed to the ledger, the longest unchecked first. */
    List<BatchRow> unbilled(long checkedBeforeMs, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM message_batches WHERE billed_ms IS NULL AND checked_ms < ?" + NAMED
                + " ORDER BY checked_ms ASC LIMIT ?", checkedBeforeMs, limit);
    }

    /**
     * Every batch not yet billed that holds parts on its caller's budgets and says what they asked for (rows from before
     * migration V16 do not): pending creates too, since the reconciler gives back the holds of those it drops.
     */
    List<Held> held() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + ", hold_asks"
                + " FROM message_batches WHERE billed_ms IS NULL AND hold_parts > 0 AND hold_asks IS NOT NULL ORDER BY seq")) {
            List<Held> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Held(row(rs), rs.getString("hold_asks")));
                }
            }
            return out;
        }
    }

    /** Up to {@code limit} creates written before {@code createdBeforeMs} that never learned their batch's id. */
    List<BatchRow> pending(long createdBeforeMs, int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM message_batches WHERE id LIKE 'pending:%' AND created_ms < ?"
                + " ORDER BY created_ms ASC LIMIT ?", createdBeforeMs, limit);
    }

    /** The create's row becomes the batch's: the upstream answered with its id. False when the row is gone. */
    boolean named(String pendingId, String batchId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE message_batches SET id = ? WHERE id = ?")) {
            s.setString(1, batchId);
            s.setString(2, pendingId);
            return s.executeUpdate() == 1;
        }
    }

    /** A create the upstream refused, or one that never reached it: nothing to bill. */
    void forget(String pendingId) throws SQLException {
        update("DELETE FROM message_batches WHERE id = ?", pendingId);
    }

    /** Whether the gateway has a row for this batch id (deleted ones too). */
    boolean known(String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT 1 FROM message_batches WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    void checked(String id, long nowMs) throws SQLException {
        update("UPDATE message_batches SET checked_ms = ? WHERE id = ?", nowMs, id);
    }

    void billed(String id, long nowMs) throws SQLException {
        update("UPDATE message_batches SET billed_ms = ? WHERE id = ? AND billed_ms IS NULL", nowMs, id);
    }

    /** Kept, marked: the row still says whose the batch was and whether its results were billed. */
    void deleted(String id) throws SQLException {
        update("UPDATE message_batches SET deleted = TRUE WHERE id = ?", id);
    }

    private long seqOf(String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT seq FROM message_batches WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
            }
        }
    }

    /**
     * The ids of {@code row}'s result records ({@code <batch id>:<custom_id>}) the ledger's table held from before
     * {@code beforeMs}. Read through the ledger's time index from an hour before the batch was created (another
     * replica's clock may run behind), not by a range of ids: PostgreSQL's collations may order {@code :} apart.
     */
    java.util.Set<String> recordedBefore(BatchRow row, long beforeMs) throws SQLException {
        String prefix = row.id() + ":";
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT request_id FROM ledger WHERE ts_ms >= ? AND ts_ms < ? AND request_id LIKE ? ESCAPE '\\'")) {
            bind(s, row.createdMs() - 3_600_000L, beforeMs, like);
            java.util.Set<String> out = new java.util.HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).startsWith(prefix)) { // SQLite's LIKE ignores case
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            s.executeUpdate();
        }
    }

    private List<BatchRow> query(String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<BatchRow> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                s.setLong(i + 1, l);
            } else if (args[i] instanceof Integer n) {
                s.setInt(i + 1, n);
            } else {
                s.setString(i + 1, (String) args[i]);
            }
        }
    }

    private static BatchRow row(ResultSet rs) throws SQLException {
        Map<String, String> tags;
        try {
            tags = Json.MAPPER.readValue(rs.getString("tags"), new TypeReference<Map<String, String>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("message_batches.tags of " + rs.getString("id") + ": not a JSON object", e);
        }
        Identity owner = new Identity(rs.getString("caller_key"), rs.getString("caller_alias"), rs.getString("user_id"),
                rs.getString("team_id"), rs.getString("org_id"), Map.copyOf(tags));
        return new BatchRow(rs.getString("id"), rs.getString("upstream"), rs.getString("key_alias"), owner,
                rs.getLong("created_ms"), rs.getLong("billed_ms") /* 0 for NULL: not billed */, rs.getString("hold_id"),
                rs.getInt("hold_parts"), rs.getInt("request_count"));
    }
}
