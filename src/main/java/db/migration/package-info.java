/**
 * Flyway's Java migrations, found by their package (the same {@code db/migration/<dialect>} locations as the SQL
 * scripts): migrations that need the gateway's own code, such as filling the spend rollup from the ledger.
 */
package db.migration;
