package dev.sluice.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the part of a line a stop left at the end of the audit file, before a restart continues it. The writer appends a
 * batch of lines in one write, and the kernel ends a write at a page boundary when a fatal signal arrives (SIGKILL, the
 * OOM killer), as a power cut may keep only some pages of an unsynced write: the file then ends without its newline.
 * Appending after those bytes would glue them to the next line, which verify then reads as tampering, for good. The
 * anchor never counts such a line (it counts synced whole lines), so cutting it hides nothing it vouches for; the bytes
 * are kept beside the file as {@code <name>.torn-<millis>}, for whoever reads the evidence.
 */
final class TornTail {
    private static final Logger LOG = LoggerFactory.getLogger(TornTail.class);
    private static final int CHUNK = 64 * 1024;

    private TornTail() {
    }

    /** Cuts {@code file} back to its last newline when it does not end with one; the bytes cut, 0 when none. */
    static long cut(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0 || lastByte(ch, size) == '\n') {
                return 0;
            }
            long keep = afterLastNewline(ch, size);
            ByteBuffer torn = ByteBuffer.allocate((int) Math.min(size - keep, 16L * 1024 * 1024));
            while (torn.hasRemaining() && ch.read(torn, keep + torn.position()) > 0) {
                // read on until the part kept as evidence is whole
            }
            Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
            Files.write(aside, java.util.Arrays.copyOf(torn.array(), torn.position()));
            ch.truncate(keep);
            ch.force(false);
            LOG.warn("audit log {}: the last {} byte(s) were part of a line a stop cut short (no newline); cut back to the last "
                    + "whole line and kept as {}", file, size - keep, aside.getFileName());
            return size - keep;
        }
    }

    private static byte lastByte(FileChannel ch, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, size - 1);
        return one.get(0);
    }

    /** The position just after the file's last newline, 0 when it has none; read backwards a chunk at a time. */
    private static long afterLastNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - CHUNK);
            buf.clear().limit((int) (end - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // a positional read may return fewer bytes
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            end = from;
        }
        return 0;
    }
}
