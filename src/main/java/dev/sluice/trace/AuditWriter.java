package dev.sluice.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit lines without ever losing one silently. Event loops hand over finished lines to a
 * bounded queue and return; one writer thread drains it in batches (one write per batch). When the
 * queue is full (the disk is stalling) the line is written by the caller itself under the writer's
 * lock, which slows that request rather than dropping its line; such writes are counted, and so
 * are write errors, which are also logged.
 *
 * <p>Each line is chained to the one before: the writer appends {@code "chain":"<hex>"}, the
 * SHA-256 of the previous line's chain and this line's content, so an edit, a deletion or a
 * reordering anywhere breaks every chain value after it ({@code sluice audit verify} checks this).
 * The chain continues across restarts (the last line's chain is read at start) and across file
 * rotation.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    static final int QUEUE_LINES = 65_536;
    private static final int BATCH = 512;
    private static final long POLL_MILLIS = 20;
    static final long ROTATE_BYTES = 256L * 1024 * 1024;
    static final String GENESIS = "0".repeat(64);

    private final Path file;
    private final OutputStream stdout;
    private final ArrayBlockingQueue<byte[]> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private final MessageDigest sha = sha256();
    private final LongAdder written = new LongAdder();
    private final LongAdder direct = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private OutputStream out;
    private long size;
    private byte[] chain;
    private volatile boolean closing;

    private AuditWriter(Path file, OutputStream stdout, int queueLines) {
        this.file = file;
        this.stdout = stdout;
        this.queue = new ArrayBlockingQueue<>(queueLines);
        this.thread = Thread.ofPlatform().name("sluice-audit").daemon().unstarted(this::run);
    }

    /** An audit log appended to {@code file} (created with its directories). */
    static AuditWriter toFile(Path file) {
        AuditWriter w = new AuditWriter(file, null, QUEUE_LINES);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            w.chain = lastChain(file).getBytes(StandardCharsets.US_ASCII);
            w.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            w.size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("audit log " + file + ": cannot open: " + e.getMessage(), e);
        }
        w.thread.start();
        return w;
    }

    /** An audit log on standard output (for container log pipelines). */
    static AuditWriter toStdout() {
        return toStream(System.out, QUEUE_LINES);
    }

    /** An audit log on any stream (standard output; tests). */
    static AuditWriter toStream(OutputStream stream, int queueLines) {
        AuditWriter w = new AuditWriter(null, stream, queueLines);
        w.out = stream;
        w.chain = GENESIS.getBytes(StandardCharsets.US_ASCII);
        w.thread.start();
        return w;
    }

    /** Hands over one line (a JSON object without its closing brace); never blocks on I/O unless the queue is full. */
    void write(byte[] line) {
        if (closing || !queue.offer(line)) {
            direct.increment();
            lock.lock();
            try {
                append(List.of(line));
            } finally {
                lock.unlock();
            }
        }
    }

    private void run() {
        List<byte[]> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                // Polled, not waited on: a writer blocked in take() would make every request's offer wake it
                // with a system call. Lines wait at most a few milliseconds instead.
                byte[] first = queue.poll();
                if (first == null) {
                    TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                lock.lock();
                try {
                    append(batch);
                } finally {
                    lock.unlock();
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes lines with their chain values; called under the lock. */
    private void append(List<byte[]> lines) {
        int n = 0;
        for (byte[] l : lines) {
            n += l.length + 80;
        }
        byte[] buf = new byte[n];
        int at = 0;
        for (byte[] l : lines) {
            sha.update(chain);
            sha.update(l);
            chain = HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(l, 0, buf, at, l.length);
            at += l.length;
            byte[] tail = (",\"chain\":\"" + new String(chain, StandardCharsets.US_ASCII) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(tail, 0, buf, at, tail.length);
            at += tail.length;
        }
        try {
            out.write(buf, 0, at);
            out.flush();
            size += at;
            written.add(lines.size());
            if (file != null && size > ROTATE_BYTES) {
                rotate();
            }
        } catch (IOException e) {
            errors.add(lines.size());
            LOG.error("audit log: {} line(s) could not be written: {}", lines.size(), e.getMessage());
        }
    }

    private void rotate() throws IOException {
        out.close();
        Path aside = file.resolveSibling(file.getFileName() + "." + System.currentTimeMillis());
        Files.move(file, aside);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = 0;
    }

    /** The chain value of the file's last line, or the genesis value for a new file. */
    static String lastChain(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return GENESIS;
        }
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            int tail = (int) Math.min(len, 64 * 1024 + 256);
            byte[] b = new byte[tail];
            raf.seek(len - tail);
            raf.readFully(b);
            String s = new String(b, StandardCharsets.UTF_8);
            int at = s.lastIndexOf("\"chain\":\"");
            return at < 0 || at + 9 + 64 > s.length() ? GENESIS : s.substring(at + 9, at + 9 + 64);
        }
    }

    long written() {
        return written.sum();
    }

    long queued() {
        return queue.size();
    }

    /** Lines the callers wrote themselves because the queue was full. */
    long direct() {
        return direct.sum();
    }

    long errors() {
        return errors.sum();
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            List<byte[]> rest = new ArrayList<>();
            queue.drainTo(rest);
            if (!rest.isEmpty()) {
                append(rest);
            }
            if (out != stdout) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            LOG.warn("audit log: close failed: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
