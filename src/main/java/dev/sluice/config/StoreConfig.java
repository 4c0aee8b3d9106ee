package dev.sluice.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the ledger and identities live.
 *
 * @param kind     {@code sqlite} (embedded, default) or {@code postgres}
 * @param dataDir  directory for the SQLite file and the ledger journal
 * @param url      JDBC URL for PostgreSQL
 * @param user     database user
 * @param password database password (use {@code ${ENV}} or a secret file, never a literal)
 * @param poolSize database connections
 * @param journalSync how often the ledger journal is fsynced while it holds records not yet in the database: what a
 *                    power loss can cost (a kill -9 costs nothing, the page cache keeps the lines); default 25 ms
 */
public record StoreConfig(String kind, Path dataDir, String url, String user, String password, Integer poolSize,
                          Duration journalSync) {
    public StoreConfig {
        kind = kind == null ? "sqlite" : kind;
        dataDir = dataDir == null ? Path.of(".sluice-data") : dataDir;
        poolSize = poolSize == null ? 4 : poolSize;
        journalSync = journalSync == null ? Duration.ofMillis(25) : journalSync;
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "StoreConfig[kind=" + kind + ", dataDir=" + dataDir + ", url=" + url + ", user=" + user + ", journalSync=" + journalSync + "]";
    }
}
