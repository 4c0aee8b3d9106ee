package dev.sluice.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps {@code spend_daily} (migration V11) in step with the ledger, inside the ledger writer's transaction: before a
 * batch's insert, {@link #prepare} reads what the ledger already holds for the batch's request ids (on SQLite only for
 * the ids it may hold at all, {@link LedgerIds}), drops the records
 * it already has (a journal replay, a duplicate: the same (request id, attempt) gate as the insert's
 * {@code ON CONFLICT DO NOTHING}) and sums the rest per cell; after the insert, {@link #write} upserts one row per
 * cell. Both commit or roll back with the ledger rows.
 */
final class RollupTable {
    /** The ledger columns that make a record's cell, in {@link RollupCell#DIMENSIONS} order, then day and tags. */
    static final String CELL_COLUMNS = "org_id, team_id, user_id, key_id, key_alias, COALESCE(served_model, requested_model), "
            + "requested_model, provider, upstream_key_alias, session_id, client, endpoint, cache_status, status, error_type, "
            + "day, CAST(tags AS TEXT)";
    private static final int IN_CHUNK = 500;

    private final boolean postgres;
    private final String updateSql;
    private final String upsertSql;
    /** SQLite: which ids the ledger may hold, so only those are read back; null for PostgreSQL (shared by replicas). */
    private final LedgerIds ids;

    RollupTable(boolean postgres) {
        this(postgres, postgres ? null : new LedgerIds(LedgerIds.CAPACITY));
    }

    RollupTable(boolean postgres, LedgerIds ids) {
        this.postgres = postgres;
        this.ids = ids;
        StringBuilder cols = new StringBuilder("cell, day, day_hi, differs, tags_differ");
        for (String[] d : RollupCell.DIMENSIONS) {
            cols.append(", ").append(d[1]);
        }
        cols.append(", tags");
        StringBuilder set = new StringBuilder();
        for (String s : RollupDeltas.SUM_COLUMNS) {
            cols.append(", ").append(s);
            set.append(set.isEmpty() ? "" : ", ").append(s).append(" = spend_daily.").append(s).append(" + excluded.").append(s);
        }
        String json = postgres ? "CAST(? AS jsonb)" : "?";
        String marks = "?, ?, ?, ?, " + json + ", ?".repeat(RollupCell.DIMENSIONS.length) + ", " + json
                + ", ?".repeat(RollupDeltas.SUMS);
        StringBuilder add = new StringBuilder();
        for (String sum : RollupDeltas.SUM_COLUMNS) {
            add.append(add.isEmpty() ? "" : ", ").append(sum).append(" = ").append(sum).append(" + ?");
        }
        this.updateSql = "UPDATE spend_daily SET " + add + " WHERE cell = ?";
        this.upsertSql = "INSERT INTO spend_daily (" + cols + ") VALUES (" + marks + ") ON CONFLICT (cell) DO UPDATE SET " + set;
    }

    /** The new records of {@code records} (first of each key, none the ledger holds), summed per cell. */
    RollupDeltas prepare(Connection c, List<LedgerRecord> records) throws SQLException {
        Map<String, List<RollupCell>> cells = new HashMap<>();
        Set<String> seen = new HashSet<>();
        if (postgres) {
            // A young ledger has no planner statistics yet, and PostgreSQL then scans the whole table for the ids
            // (measured: 40% of the writer's time at 200k rows). The primary key answers them; this transaction only.
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL enable_seqscan = off");
            }
        }
        readExisting(c, mayBeHeld(c, records), cells, seen);
        RollupDeltas deltas = new RollupDeltas();
        for (LedgerRecord r : records) {
            String id = LedgerTable.text(r.requestId());
            if (!seen.add(id + '\n' + r.attempt())) {
                continue; // already in the ledger or earlier in this batch: the insert keeps the first, so do we
            }
            deltas.add(cells.computeIfAbsent(id, k -> new ArrayList<>()), RollupCell.of(r, UtcDay.of(r.time())),
                    RollupDeltas.sums(r));
        }
        return deltas;
    }

    /** The distinct ids of {@code records} the ledger may already hold (on SQLite usually none: see {@link LedgerIds}). */
    private List<String> mayBeHeld(Connection c, List<LedgerRecord> records) throws SQLException {
        List<String> all = records.stream().map(r -> LedgerTable.text(r.requestId())).distinct().toList();
        if (ids == null) {
            return all;
        }
        if (ids.unknown()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(request_id) FROM ledger")) {
                ids.readFloor(rs.next() ? rs.getString(1) : null);
            }
        }
        return all.stream().filter(ids::mayHold).toList();
    }

    /** The batch's records are committed (called after the commit). */
    void committed(List<LedgerRecord> records) {
        if (ids != null) {
            ids.committed(records.stream().map(r -> LedgerTable.text(r.requestId())).toList());
        }
    }

    /** A commit failed or is in doubt: the next batch reads again what the ledger holds. */
    void forget() {
        if (ids != null) {
            ids.forget();
        }
    }

    private static void readExisting(Connection c, List<String> ids, Map<String, List<RollupCell>> cells,
                                     Set<String> seen) throws SQLException {
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String sql = "SELECT request_id, attempt, " + CELL_COLUMNS + " FROM ledger WHERE request_id IN ("
                    + "?, ".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        seen.add(id + '\n' + rs.getInt(2));
                        List<RollupCell> known = cells.computeIfAbsent(id, k -> new ArrayList<>());
                        RollupCell cell = cell(rs, 3);
                        if (!known.contains(cell)) {
                            known.add(cell);
                        }
                    }
                }
            }
        }
    }

    /** A cell from {@link #CELL_COLUMNS} starting at column {@code from}. */
    static RollupCell cell(ResultSet rs, int from) throws SQLException {
        String[] v = new String[RollupCell.DIMENSIONS.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = rs.getString(from + i);
        }
        String day = rs.getString(from + v.length);
        return new RollupCell(day, day, 0, v, parseTags(rs.getString(from + v.length + 1)), new TreeSet<>());
    }

    /** Upserts each cell's sums, in key order so two writers sharing a PostgreSQL database lock rows alike. */
    void write(Connection c, RollupDeltas deltas) throws SQLException {
        if (deltas.size() == 0) {
            return;
        }
        TreeMap<String, Map.Entry<RollupCell, long[]>> sorted = new TreeMap<>();
        for (Map.Entry<RollupCell, long[]> e : deltas.deltas().entrySet()) {
            if (!allZero(e.getValue())) {
                sorted.put(e.getKey().key(), e);
            }
        }
        if (postgres) {
            // The driver rewrites a batch of inserts into multi-row statements: a few round trips per batch, where
            // updates would go one by one (three times slower measured).
            upsert(c, new ArrayList<>(sorted.values()), new ArrayList<>(sorted.keySet()));
            return;
        }
        // SQLite: most cells already have today's row, so a narrow UPDATE first and the wide upsert only for the
        // cells that had none.
        List<Map.Entry<String, Map.Entry<RollupCell, long[]>>> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            for (Map.Entry<String, Map.Entry<RollupCell, long[]>> e : sorted.entrySet()) {
                int i = 1;
                for (long sum : e.getValue().getValue()) {
                    ps.setLong(i++, sum);
                }
                ps.setString(i, e.getKey());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            int n = 0;
            for (Map.Entry<String, Map.Entry<RollupCell, long[]>> e : sorted.entrySet()) {
                if (counts[n] < 0) {
                    throw new SQLException("spend_daily update: the driver reported no row count (" + counts[n] + ")");
                }
                if (counts[n++] == 0) {
                    missing.add(e);
                }
            }
        }
        upsert(c, missing.stream().map(Map.Entry::getValue).toList(), missing.stream().map(Map.Entry::getKey).toList());
    }

    private void upsert(Connection c, List<Map.Entry<RollupCell, long[]>> cells, List<String> keys) throws SQLException {
        if (cells.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(upsertSql)) {
            for (int i = 0; i < cells.size(); i++) {
                bind(ps, keys.get(i), cells.get(i).getKey(), cells.get(i).getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, String key, RollupCell cell, long[] sums) throws SQLException {
        int i = 1;
        ps.setString(i++, key);
        ps.setString(i++, cell.dayLo());
        ps.setString(i++, cell.dayHi());
        ps.setInt(i++, cell.differs());
        ps.setString(i++, cell.tagsDifferJson());
        for (int d = 0; d < RollupCell.DIMENSIONS.length; d++) {
            String v = cell.values()[d];
            if (v == null) {
                ps.setNull(i++, d == RollupCell.STATUS ? Types.INTEGER : Types.VARCHAR);
            } else if (d == RollupCell.STATUS) {
                ps.setInt(i++, Integer.parseInt(v));
            } else {
                ps.setString(i++, v);
            }
        }
        ps.setString(i++, cell.tagsJson());
        for (long s : sums) {
            ps.setLong(i++, s);
        }
    }

    private static boolean allZero(long[] sums) {
        for (long s : sums) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    /** Tags as the ledger returns them (SQLite: as written; PostgreSQL: jsonb's own spacing and order), sorted. */
    static TreeMap<String, String> parseTags(String json) {
        TreeMap<String, String> tags = new TreeMap<>();
        if (json == null || json.isEmpty()) {
            return tags;
        }
        try (JsonParser p = dev.sluice.wire.Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return tags;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    tags.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ledger tags: unreadable JSON", e);
        }
        return tags;
    }
}
