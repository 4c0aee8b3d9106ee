package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which failures mean PostgreSQL is away (a 503 to retry) rather than a fault of ours: found by PostgresOutageTest in the
 * full suite, where the pool's idle connection met "terminating connection due to administrator command" (57P01).
 */
class DatabaseUnavailableTest {
    @Test
    void connectionAndShutdownStatesAreTheDatabaseAway() {
        assertThat(Database.unavailable(new IllegalStateException("wrapped", new SQLException("gone", "08006")))).isTrue();
        assertThat(Database.unavailable(new SQLException("terminating connection due to administrator command", "57P01"))).isTrue();
        assertThat(Database.unavailable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(Database.unavailable(new SQLTransientConnectionException("Connection is not available"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(Database.unavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Database.unavailable(new SQLException("Connection is closed"))).isFalse();
        assertThat(Database.unavailable(new IllegalStateException("no cause"))).isFalse();
    }
}
