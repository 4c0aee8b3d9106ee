package dev.sluice.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file something holds open, known by its identity (device and inode where the file system has them), so a file
 * deleted, moved away or replaced under the running gateway is noticed. An open handle goes on writing where nobody
 * looks: the SQLite pool's connections into an unlinked database (every commit they report vanishes at the next
 * restart; attack round 19: 60 bills reported written, none in the database after it), the audit writer into a log
 * logrotate renamed (its anchor would count lines of a file no longer at its path). One {@code stat} per check.
 */
public final class FileAtPath {
    private final Path path;
    private final Object identity;

    private FileAtPath(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    /** Call right after opening {@code path}. */
    public static FileAtPath of(Path path) throws IOException {
        return new FileAtPath(path, identity(path));
    }

    /** True while the same file is at the path; where the file system has no identities, while one is. */
    public boolean stillAtPath() {
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
