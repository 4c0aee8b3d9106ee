package dev.sluice.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The SQLite file a pool opened, known by its identity (device and inode where the file system has them), so a file
 * deleted or replaced under the running gateway is noticed: an {@code rm} of the data dir's database, a backup copied
 * over it by rename. The pool's connections go on writing to the open, unlinked file, and every commit they report
 * would vanish at the next restart (attack round 19: 60 bills reported written, none in the database after it).
 */
final class SqliteFile {
    private final Path path;
    private final Object identity;

    private SqliteFile(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    static SqliteFile opened(Path path) {
        try {
            return new SqliteFile(path, identity(path));
        } catch (IOException e) {
            throw new UncheckedIOException("sqlite database " + path + ": cannot read its attributes", e);
        }
    }

    /** True while the same file is at the path; where the file system has no identities, while one is. */
    boolean inPlace() {
        try {
            Object now = identity(path);
            return identity == null || identity.equals(now);
        } catch (IOException e) {
            return false; // gone
        }
    }

    private static Object identity(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }
}
