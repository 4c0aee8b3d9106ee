package dev.sluice.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the database refuses as data (a constraint, a value out of range) are set aside in {@code rejected.jnl}
 * beside the journal, in the journal's own framing, for repair and re-import: one bad record must never stall the
 * writer, and must never be lost either. Used by the ledger's writer thread only.
 */
final class RefusedRecords {
    static final String FILE = "rejected.jnl";
    private static final Logger log = LoggerFactory.getLogger(RefusedRecords.class);

    private final Path file;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    RefusedRecords(Path journalDir) {
        this.file = journalDir.resolve(FILE);
    }

    /** True when the database refused the data itself (retrying cannot help), not when it was unreachable. */
    static boolean isDataError(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
            if (x instanceof org.sqlite.SQLiteException s) {
                int primary = s.getResultCode().code & 0xff;
                if (primary == 18 || primary == 19 || primary == 20) { // TOOBIG, CONSTRAINT, MISMATCH
                    return true;
                }
            }
        }
        return false;
    }

    /** Sets {@code r} aside; if even that fails, it is counted as lost. */
    void setAside(LedgerRecord r, SQLException e) {
        refused.incrementAndGet();
        log.error("ledger: the database refused record {}/{} as invalid ({}); it is kept in {} for repair and re-import",
                r.requestId(), r.attempt(), e.getMessage(), file);
        try {
            Files.write(file, Journal.frame(JournalCodec.encode(r)).array(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException io) {
            lost.incrementAndGet();
            log.error("ledger: cannot keep refused record {}/{}: {}", r.requestId(), r.attempt(), io.toString());
        }
    }

    long refused() {
        return refused.get();
    }

    /** Refused records that could not be set aside either. */
    long lost() {
        return lost.get();
    }
}
