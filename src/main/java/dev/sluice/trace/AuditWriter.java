package dev.sluice.trace;

import dev.sluice.store.FileAtPath;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit lines without ever losing one silently. Event loops hand over finished lines to a
 * bounded queue and return; one writer thread drains it in batches (one write per batch). When the
 * queue is full (the disk is stalling) the line is written by the caller itself under the writer's
 * lock, which slows that request rather than dropping its line; such writes are counted. A write that
 * fails (a full disk) is cut back to the last whole line and its lines kept, in order, until the disk
 * takes them (tried twice a second); only lines past {@link #QUEUE_LINES} kept are lost, counted and logged.
 *
 * <p>Each line is chained to the one before: the writer appends {@code "hmac":"<hex>"}, the
 * HMAC-SHA256 under the {@link AuditKey} of the previous line's value and this line's content, so an
 * edit, a deletion or a reordering anywhere breaks the chain there, and nobody without the key can
 * recompute it ({@code sluice audit verify} checks this). About once a second while lines arrive, at
 * rotation and at close, it syncs the file and records its line count and last value in the
 * {@link AuditAnchor}, which shows lines cut from the end. The chain continues across restarts (after
 * {@link AuditResume} has compared the file with its anchor) and across file rotation; a file of
 * unkeyed lines from an older version is continued, its last value chained into the first keyed line.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    static final int QUEUE_LINES = 65_536;
    private static final int BATCH = 512;
    private static final long POLL_MILLIS = 20;
    static final long ROTATE_BYTES = 256L * 1024 * 1024;
    private static final long ANCHOR_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often a failing disk is tried again while lines are kept. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Path file;
    private final Path anchorFile;
    private final OutputStream stdout;
    private final ArrayBlockingQueue<byte[]> queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread thread;
    private final Mac mac;
    /** The MAC of the line being chained (HMAC-SHA256: 32 bytes, 64 hex characters). */
    private final byte[] digest = new byte[32];
    private static final int HEX_CHARS = 64;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final long rotateBytes;
    private final LongAdder written = new LongAdder();
    private final LongAdder direct = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private OutputStream out;
    private FileChannel channel;
    private FileAtPath opened;
    private long size;
    private long lines;
    private byte[] chain;
    private long anchoredLines = -1;
    private long anchoredAt;
    private volatile boolean closing;
    /** Lines a failed write left, oldest first: written before any other (under the lock). */
    private final List<byte[]> unwritten = new ArrayList<>();
    private boolean failing;
    private long retryAt;
    private volatile int unwrittenCount;
    private UnaryOperator<OutputStream> disk = UnaryOperator.identity();

    private AuditWriter(Path file, Path anchorFile, OutputStream stdout, int queueLines, AuditKey key, long rotateBytes) {
        this.file = file;
        this.rotateBytes = rotateBytes;
        this.anchorFile = anchorFile;
        this.mac = key.newMac();
        this.stdout = stdout;
        this.queue = new ArrayBlockingQueue<>(queueLines);
        this.thread = Thread.ofPlatform().name("sluice-audit").daemon().unstarted(this::run);
    }

    /**
     * An audit log appended to {@code file} (created with its directories), keyed with {@code key}, anchored in
     * {@code anchorFile}.
     *
     * @throws IllegalStateException when the file no longer matches its anchor ({@link AuditResume})
     */
    static AuditWriter toFile(Path file, AuditKey key, Path anchorFile) {
        return toFile(file, key, anchorFile, ROTATE_BYTES);
    }

    /** As {@link #toFile(Path, AuditKey, Path)}, moving the file aside once it passes {@code rotateBytes} (tests: small). */
    static AuditWriter toFile(Path file, AuditKey key, Path anchorFile, long rotateBytes) {
        return toFile(file, key, anchorFile, rotateBytes, UnaryOperator.identity());
    }

    /** As above, writing through {@code disk} wrapped around the file's stream (tests: a disk that fills up). */
    static AuditWriter toFile(Path file, AuditKey key, Path anchorFile, long rotateBytes, UnaryOperator<OutputStream> disk) {
        AuditWriter w = new AuditWriter(file, anchorFile, null, QUEUE_LINES, key, rotateBytes);
        w.disk = disk;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            TornTail.cut(file); // a kill in the middle of a write leaves part of a line
            AuditResume resume = AuditResume.of(file, anchorFile, w.mac);
            w.chain = resume.chain().getBytes(StandardCharsets.US_ASCII);
            w.lines = resume.lines();
            w.open();
            w.anchor();
        } catch (IOException e) {
            throw new UncheckedIOException("audit log " + file + ": cannot open: " + e.getMessage(), e);
        }
        w.thread.start();
        return w;
    }

    /** An audit log in {@code file} with the key and the anchor beside it (the default layout: the data directory). */
    static AuditWriter toFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path anchor = AuditAnchor.fileFor(file, dir);
        return toFile(file, AuditKey.loadOrCreate(Map.of(), dir, anchor), anchor);
    }

    /** An audit log on standard output (for container log pipelines): keyed, but with no anchor. */
    static AuditWriter toStdout(AuditKey key) {
        return toStream(System.out, QUEUE_LINES, key);
    }

    /** An audit log on any stream (standard output; tests). */
    static AuditWriter toStream(OutputStream stream, int queueLines, AuditKey key) {
        AuditWriter w = new AuditWriter(null, null, stream, queueLines, key, Long.MAX_VALUE);
        w.out = stream;
        w.chain = AuditLines.GENESIS.getBytes(StandardCharsets.US_ASCII);
        w.thread.start();
        return w;
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        out = disk.apply(Channels.newOutputStream(channel));
        size = channel.size();
        opened = FileAtPath.of(file);
    }

    /**
     * The file is no longer at its path (moved away by logrotate, deleted): go on in a new file there, the chain
     * continuing, as after a rotation. A moved file kept as {@code <name>.<number>} still verifies as a rotated one; a
     * deleted one shows as a break, which is what it is. Lines written since it left (at most the last second's) went
     * with it. Under the lock.
     */
    private void reopenMoved() {
        LOG.error("audit log: {} was moved or deleted while the gateway runs; {} line(s) went with it; continuing in a new "
                + "file at that path (keep a moved file as {}.<number> beside it so `sluice audit verify` links them)",
                file, lines, file.getFileName());
        try {
            channel.force(false);
            out.close();
        } catch (IOException e) {
            LOG.warn("audit log: closing the moved file: {}", e.getMessage());
        }
        try {
            lines = 0;
            open();
        } catch (IOException e) {
            LOG.error("audit log: cannot open a new {}: {}", file, e.getMessage());
        }
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
                    retryUnwritten();
                    anchorIfDue();
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
                anchorIfDue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Writes lines with their chain values after any a failed write left (a full disk); called under the lock. A failed
     * write may have put part of its bytes in the file: they are cut off again, and the lines kept to be written first
     * next time, so the file never holds a torn line followed by lines chained past it (which verify reads as
     * tampering), and freeing disk space loses no line. Only past {@link #QUEUE_LINES} kept lines are lines lost.
     */
    private void append(List<byte[]> fresh) {
        if (failing && System.nanoTime() - retryAt < 0) {
            keep(fresh, null); // a full disk is not retried per batch: each retry signs every kept line again
            return;
        }
        List<byte[]> lines = fresh;
        if (!unwritten.isEmpty()) {
            lines = new ArrayList<>(unwritten);
            lines.addAll(fresh);
            unwritten.clear();
            unwrittenCount = 0;
        }
        if (lines.isEmpty()) {
            return;
        }
        int n = 0;
        for (byte[] l : lines) {
            n += l.length + 80;
        }
        byte[] buf = new byte[n];
        int at = 0;
        // Each value is written as hex straight into the buffer and chained from there: no array or string per line.
        byte[] prev = chain;
        int prevAt = 0;
        int prevLength = chain.length; // the resumed value of an older unkeyed file may be of another length
        for (byte[] l : lines) {
            mac.update(prev, prevAt, prevLength);
            mac.update(l);
            System.arraycopy(l, 0, buf, at, l.length);
            at += l.length;
            System.arraycopy(AuditLines.KEYED, 0, buf, at, AuditLines.KEYED.length);
            at += AuditLines.KEYED.length;
            try {
                mac.doFinal(digest, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e); // digest is the MAC's length
            }
            prev = buf;
            prevAt = at;
            prevLength = HEX_CHARS;
            at = hex(digest, buf, at);
            buf[at++] = '"';
            buf[at++] = '}';
            buf[at++] = '\n';
        }
        byte[] next = java.util.Arrays.copyOfRange(prev, prevAt, prevAt + prevLength);
        try {
            out.write(buf, 0, at);
            out.flush();
        } catch (IOException e) {
            keep(lines, e);
            return;
        }
        // Only lines that reached the file move the chain on: the next line must follow the last one written.
        chain = next;
        size += at;
        this.lines += lines.size();
        written.add(lines.size());
        if (failing) {
            failing = false;
            LOG.info("audit log: {} writable again; the {} line(s) kept meanwhile are written", file, lines.size());
        }
        if (file != null && size > rotateBytes) {
            try {
                rotate();
            } catch (IOException e) {
                LOG.error("audit log: rotating {} failed: {}", file, e.getMessage());
            }
        }
    }

    /** Writes {@code bytes} as lower-case hex into {@code out} at {@code at}; returns where it ends. */
    private static int hex(byte[] bytes, byte[] out, int at) {
        for (byte b : bytes) {
            out[at++] = HEX[(b >> 4) & 0xF];
            out[at++] = HEX[b & 0xF];
        }
        return at;
    }

    /**
     * Keeps lines to write first next time. After a failed write ({@code e}), first cuts the file back to its last
     * whole line: a torn line followed by lines chained past it is what tampering looks like.
     */
    private void keep(List<byte[]> lines, IOException e) {
        if (e != null && channel != null) {
            try {
                channel.truncate(size);
            } catch (IOException cut) {
                e.addSuppressed(cut);
            }
        }
        int kept = Math.min(lines.size(), Math.max(0, QUEUE_LINES - unwritten.size()));
        unwritten.addAll(lines.subList(0, kept));
        unwrittenCount = unwritten.size();
        int lost = lines.size() - kept;
        errors.add(lost);
        if (e != null) {
            retryAt = System.nanoTime() + RETRY_NANOS;
            if (!failing) {
                LOG.error("audit log: cannot write {} ({}); lines are kept in memory (up to {}) and written once it can",
                        file == null ? "the stream" : file, e.getMessage(), QUEUE_LINES);
            }
            failing = true;
        }
        if (lost > 0) {
            LOG.error("audit log: {} line(s) lost: {} lines already wait for the disk", lost, unwritten.size());
        }
    }

    /** Writes the lines a failed write left when no new line comes to carry them. */
    private void retryUnwritten() {
        lock.lock();
        try {
            if (!unwritten.isEmpty()) {
                append(List.of());
            }
        } finally {
            lock.unlock();
        }
    }

    private void rotate() throws IOException {
        channel.force(false);
        out.close();
        // Named by the time, and never over an older one: the verifier orders rotated files by that number.
        long millis = System.currentTimeMillis();
        Path aside = file.resolveSibling(file.getFileName() + "." + millis);
        while (Files.exists(aside)) {
            aside = file.resolveSibling(file.getFileName() + "." + ++millis);
        }
        Files.move(file, aside);
        lines = 0;
        open();
        anchorOrLog();
    }

    private void anchorIfDue() {
        if (file == null || lines == anchoredLines || System.nanoTime() - anchoredAt < ANCHOR_NANOS) {
            return;
        }
        lock.lock();
        try {
            if (!opened.stillAtPath()) {
                reopenMoved();
            }
            anchorOrLog();
        } finally {
            lock.unlock();
        }
    }

    private void anchorOrLog() {
        try {
            anchor();
        } catch (IOException e) {
            LOG.error("audit log: the anchor {} could not be written: {}", anchorFile, e.getMessage());
        }
    }

    /** Syncs the file, then records its line count and last value; under the lock (or before the thread starts). */
    private void anchor() throws IOException {
        // Synced first: an anchor must never count lines a power cut could still take from the file.
        channel.force(false);
        anchoredAt = System.nanoTime();
        new AuditAnchor(file.toAbsolutePath().toString(), lines, new String(chain, StandardCharsets.US_ASCII), Instant.now())
                .write(anchorFile, mac);
        anchoredLines = lines;
    }

    long written() {
        return written.sum();
    }

    /** Lines waiting: in the queue, and kept after a failed write until the disk takes them. */
    long queued() {
        return queue.size() + unwrittenCount;
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
            retryAt = System.nanoTime(); // a last try for kept lines, whenever the previous one was
            append(rest);
            if (!unwritten.isEmpty()) {
                errors.add(unwritten.size());
                LOG.error("audit log: closing with {} line(s) that could not be written", unwritten.size());
                unwritten.clear();
                unwrittenCount = 0;
            }
            if (out != stdout) {
                if (file != null) {
                    anchorOrLog();
                }
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
}
