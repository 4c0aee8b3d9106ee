package dev.sluice.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes that must survive a power cut, not only a crash: the audit anchor and key are written to a temporary file and
 * renamed into place, and a rename can reach the disk before the file's bytes do (a file system without ext4's
 * {@code auto_da_alloc}), leaving an empty anchor (a start refused as tampering) or an empty key (a log that can never be
 * verified again). So the bytes are synced before the rename and the directory after it. Both happen at most once a
 * second (the anchor) or once ever (the key).
 */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Writes {@code bytes} to {@code file} (created or truncated) and syncs them to the disk. */
    static void writeSynced(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
    }

    /** Syncs the directory holding {@code file}, so a rename into it is on the disk. */
    static void syncDirectory(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems refuse to open a directory for syncing; the rename itself is then all there is.
        }
    }
}
