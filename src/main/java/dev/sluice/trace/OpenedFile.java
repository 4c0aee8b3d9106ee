package dev.sluice.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file the audit writer holds open, known by its identity (device and inode where the file system has them), so
 * a file moved away (logrotate's default rename) or deleted under the running gateway is noticed: the open handle
 * would otherwise go on writing where nobody looks, and anchor line counts for a file no longer at its path.
 */
final class OpenedFile {
    private final Path path;
    private final Object identity;

    private OpenedFile(Path path, Object identity) {
        this.path = path;
        this.identity = identity;
    }

    /** Call right after opening {@code path}. */
    static OpenedFile at(Path path) throws IOException {
        return new OpenedFile(path, identity(path));
    }

    /** True while the same file is at the path; where the file system has no identities, while one is. */
    boolean stillAtPath() {
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
