package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the audit log (attack round 19: on a 4 MB tmpfs data dir, 97 lines were lost and the half line a
 * failed write left made {@code sluice audit verify} report tampering from then on). A failed write is cut back and its
 * lines kept until the disk takes them: no line lost, and the chain verifies.
 */
class AuditDiskFullTest {
    @TempDir
    Path dir;

    /** A disk that, once full, takes the first half of a write and then fails, as write(2) does at ENOSPC. */
    static final class FillingDisk extends FilterOutputStream {
        volatile boolean full;
        final CountDownLatch refused = new CountDownLatch(1);

        FillingDisk(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (full) {
                out.write(b, off, len / 2);
                refused.countDown();
                throw new IOException("No space left on device");
            }
            out.write(b, off, len);
        }
    }

    @Test
    void linesWrittenWhileTheDiskIsFullArriveWholeAndChainedOnceItHasRoom() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        FillingDisk[] disk = new FillingDisk[1];
        AuditWriter w = AuditWriter.toFile(file, AuditKey.loadOrCreate(Map.of(), dir), AuditAnchor.fileFor(file, dir),
                AuditWriter.ROTATE_BYTES, out -> disk[0] = new FillingDisk(out));
        write(w, 0, 10);
        waitFor(() -> w.written() == 10);
        disk[0].full = true;
        write(w, 10, 20);
        assertThat(disk[0].refused.await(10, TimeUnit.SECONDS)).isTrue();
        disk[0].full = false; // space freed: the writer's retry writes the kept lines without a new line to carry them
        waitFor(() -> w.written() == 20);
        write(w, 20, 25);
        w.close();

        assertThat(w.errors()).isZero();
        assertThat(w.written()).isEqualTo(25);
        AuditChain.Result verified = AuditChain.verify(file);
        assertThat(verified.ok()).as(verified.toString()).isTrue();
        assertThat(verified.lines()).isEqualTo(25);
    }

    private static void write(AuditWriter w, int from, int to) {
        for (int i = from; i < to; i++) {
            w.write(("{\"kind\":\"request\",\"i\":" + i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }
}
