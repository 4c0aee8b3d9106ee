package dev.sluice.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The gateway's data directory: the ledger, the journal, the audit log (with prompts when
 * {@code telemetry.log-content} is on), key digests and configuration versions. Made owner-only when the gateway
 * creates it, as PostgreSQL does its own: under the usual umask 022 every file in it was readable by any user of
 * the host. A directory that already exists is left as the operator set it (a mounted volume, a shared group).
 */
public final class DataDir {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDir() {
    }

    /** Creates {@code dir} (owner-only) and its missing parents (as usual) unless it exists. */
    public static void create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (posix(parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e; // a file where the directory should be: the caller's error names it
            }
        }
    }

    /** True when other users of the host may list or read {@code dir} (said once at start, not changed). */
    public static boolean readableByOthers(Path dir) {
        try {
            return posix(dir) && Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean posix(Path p) {
        return p != null && Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }
}
