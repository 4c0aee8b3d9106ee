package dev.sluice.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ends a connection's transaction after work on it: rolls back (when asked) and restores auto-commit. When the work
 * failed, a failure here is added to that one instead of thrown over it: on a connection the pool closed because of the
 * first failure (PostgreSQL stopped, failed over, or cut the connection), the rollback and the reset fail too, and their
 * "Connection is closed" hid the connection error that makes the caller's answer a 503 to retry
 * ({@link Database#unavailable}) rather than an internal error.
 */
public final class TransactionEnd {
    private TransactionEnd() {
    }

    /** @param failed the work's own failure, or null when it succeeded (then a failure here is thrown) */
    public static void end(Connection c, boolean rollback, boolean autoCommit, Throwable failed) throws SQLException {
        if (failed == null) {
            if (rollback) {
                c.rollback();
            }
            c.setAutoCommit(autoCommit);
            return;
        }
        try {
            if (rollback) {
                c.rollback();
            }
            c.setAutoCommit(autoCommit);
        } catch (SQLException | RuntimeException e) {
            failed.addSuppressed(e);
        }
    }
}
