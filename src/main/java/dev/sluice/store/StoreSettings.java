package dev.sluice.store;

import java.nio.file.Path;

/**
 * Where the database lives.
 *
 * @param kind     {@code "sqlite"} or {@code "postgres"}
 * @param dataDir  the gateway's data directory: holds {@code sluice.db} for SQLite and the ledger journal for both kinds
 * @param jdbcUrl  PostgreSQL only, e.g. {@code jdbc:postgresql://db:5432/sluice}
 * @param user     PostgreSQL only
 * @param password PostgreSQL only
 * @param poolSize connections in the pool, at least 2 (the ledger writer holds one while readers use others)
 */
public record StoreSettings(String kind, Path dataDir, String jdbcUrl, String user, String password, int poolSize) {

    public static final String SQLITE = "sqlite";
    public static final String POSTGRES = "postgres";

    public StoreSettings {
        if (!SQLITE.equals(kind) && !POSTGRES.equals(kind)) {
            throw new IllegalArgumentException("store kind: \"" + kind + "\" (expected: sqlite or postgres)");
        }
        if (SQLITE.equals(kind) && dataDir == null) {
            throw new IllegalArgumentException("store dataDir: null (expected: a directory for sluice.db)");
        }
        if (POSTGRES.equals(kind) && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("store jdbcUrl: \"" + jdbcUrl + "\" (expected: jdbc:postgresql://host:port/db)");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("store poolSize: " + poolSize + " (expected: >= 2)");
        }
    }

    /** SQLite in {@code dataDir} with a small pool: one writer, a few readers. */
    public static StoreSettings sqlite(Path dataDir) {
        return new StoreSettings(SQLITE, dataDir, null, null, null, 4);
    }

    public static StoreSettings postgres(Path dataDir, String jdbcUrl, String user, String password, int poolSize) {
        return new StoreSettings(POSTGRES, dataDir, jdbcUrl, user, password, poolSize);
    }

    /** The password never appears in logs or exception messages. */
    @Override
    public String toString() {
        return "StoreSettings[kind=" + kind + ", dataDir=" + dataDir + ", jdbcUrl=" + jdbcUrl + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", poolSize=" + poolSize + "]";
    }
}
