package dev.sluice.budget;

import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetsConfig.BudgetConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets set through the admin API and CLI, kept in the database ({@code budget_overrides}) so they outlive
 * restarts and, on PostgreSQL, every replica sees them: each re-reads the table every {@value #POLL_SECONDS} seconds
 * (the table holds one row per budget, so a read is cheap), and the replica that made a change reads it at once.
 * They are merged by name over the configuration's {@code budgets.list} ({@link EffectiveBudgets}). Blocking: call
 * from workers, never from an event loop.
 */
public final class ManagedBudgets implements AutoCloseable {
    static final int POLL_SECONDS = 5;
    /** A bound on rows: every budget is a few map entries per request that falls under it. */
    static final int MAX_BUDGETS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ManagedBudgets.class);

    private final DataSource db;
    private final ScheduledExecutorService poller;
    private volatile View view = new View(Map.of());

    /** One stored budget: its definition as sent, parsed, and who set it when. */
    public record Entry(String name, String spec, BudgetConfig config, Instant updatedAt, String updatedBy) {
    }

    /** What the table held at one read; compared by identity, so a new view means something changed. */
    public record View(Map<String, Entry> entries) {
        public View {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
    }

    private ManagedBudgets(DataSource db, boolean poll) {
        this.db = db;
        this.poller = poll ? Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("sluice-budgets-poll")
                .unstarted(r)) : null;
    }

    /** Reads the table now and, when {@code poll}, again every few seconds. */
    public static ManagedBudgets open(DataSource db, boolean poll) {
        ManagedBudgets m = new ManagedBudgets(db, poll);
        m.refresh();
        if (m.poller != null) {
            m.poller.scheduleWithFixedDelay(() -> {
                try {
                    m.refresh();
                } catch (RuntimeException e) {
                    log.warn("budgets: could not re-read admin-set budgets: {}", e.toString());
                }
            }, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
        }
        return m;
    }

    public View view() {
        return view;
    }

    /** Re-reads the table; keeps the current view when nothing changed. */
    public synchronized void refresh() {
        Map<String, Entry> rows = new LinkedHashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT name, spec, updated_at_ms, updated_by FROM budget_overrides ORDER BY name");
             ResultSet rs = st.executeQuery()) {
            while (rs.next() && rows.size() < MAX_BUDGETS) {
                String name = rs.getString(1);
                try {
                    rows.put(name, new Entry(name, rs.getString(2), BudgetRules.parseEntry("budget '" + name + "'", rs.getString(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4)));
                } catch (RuntimeException e) {
                    log.error("budgets: stored budget '{}' cannot be read and is ignored: {}", name, e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("budgets: cannot read budget_overrides: " + e.getMessage(), e);
        }
        if (!same(rows, view.entries())) {
            view = new View(rows);
        }
    }

    /** Stores (or replaces) a budget, then re-reads. */
    public void put(String name, String spec, String who, Instant at) {
        if (!view.entries().containsKey(name) && view.entries().size() >= MAX_BUDGETS) {
            throw new IllegalArgumentException("budgets: " + MAX_BUDGETS + " budgets are set through the admin API already (expected: fewer)");
        }
        update("INSERT INTO budget_overrides (name, spec, updated_at_ms, updated_by) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at_ms = excluded.updated_at_ms, "
                + "updated_by = excluded.updated_by", name, spec, at.toEpochMilli(), who);
    }

    /** Removes a budget set through the admin API; false when there was none by that name. */
    public boolean remove(String name) {
        return update("DELETE FROM budget_overrides WHERE name = ?", name) > 0;
    }

    private int update(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            int n = st.executeUpdate();
            refresh();
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("budgets: cannot write budget_overrides: " + e.getMessage(), e);
        }
    }

    private static boolean same(Map<String, Entry> a, Map<String, Entry> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Entry e : a.values()) {
            Entry o = b.get(e.name());
            if (o == null || !o.spec().equals(e.spec()) || !o.updatedAt().equals(e.updatedAt())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
