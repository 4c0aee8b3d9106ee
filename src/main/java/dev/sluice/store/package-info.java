/**
 * Opening the database and keeping its schema current.
 *
 * <p>Two kinds: SQLite (one file in the data directory, WAL mode, the zero-setup default) and PostgreSQL
 * (through a HikariCP pool, for several gateway replicas). Flyway applies the versioned scripts under
 * {@code db/migration/sqlite} or {@code db/migration/postgresql}; each feature adds its own {@code Vn__name.sql}
 * to both folders.
 */
package dev.sluice.store;
