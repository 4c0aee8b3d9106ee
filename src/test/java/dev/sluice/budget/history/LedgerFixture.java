package dev.sluice.budget.history;

import dev.sluice.record.JournaledLedger;
import dev.sluice.record.LedgerRecord;
import dev.sluice.record.LedgerSettings;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.wire.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A real SQLite ledger in a temp directory, written through the gateway's own journaled ledger. */
public final class LedgerFixture implements AutoCloseable {
    public final Database db;
    private final JournaledLedger ledger;
    private int n;

    public LedgerFixture(Path dir) {
        db = Database.open(StoreSettings.sqlite(dir));
        ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir));
    }

    /** One attempt billed {@code costNano}, with the given usage. */
    public void add(Instant at, String key, String user, String team, String org, Map<String, String> tags, Usage u, long costNano) {
        ledger.append(new LedgerRecord("req-" + (n++), 1, at, key, key + "-alias", user, team, org, tags, null, "test", "/v1/messages",
                "claude-sonnet-4-6", "claude-sonnet-4-6", "anthropic", "primary", 200, null, u, false, costNano, 0, 0, "miss", 100, 10, 1,
                false));
    }

    public void flush() {
        if (!ledger.awaitFlushed(Duration.ofSeconds(10))) {
            throw new IllegalStateException("ledger did not flush");
        }
    }

    /** Whether the ledger's table holds every record added so far, waiting up to {@code timeout}. */
    public boolean awaitFlushed(Duration timeout) {
        return ledger.awaitFlushed(timeout);
    }

    public LedgerSpend spend() {
        return new LedgerSpend(db.dataSource(), db.isPostgres());
    }

    public LedgerScan scan() {
        return new LedgerScan(db.dataSource(), db.isPostgres());
    }

    @Override
    public void close() {
        ledger.close();
        db.close();
    }
}
