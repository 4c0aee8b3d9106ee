package dev.sluice.cache.learn.capture;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes capture lines on one thread of its own. {@code shapes.jsonl} grows to {@code maxBytes}, then is renamed
 * {@code shapes-<epoch millis>.jsonl} and a new one started; beyond {@code keep} rotated files the oldest goes. So the
 * capture never holds more than {@code (keep + 1) × maxBytes}.
 *
 * <p>Requests never wait for it: work beyond 1,024 queued lines or 64 MB of queued request bodies is dropped and
 * counted ({@link #dropped()}), since a capture is a sample anyway.
 */
public final class CaptureLog implements AutoCloseable {
    public static final String CURRENT = "shapes.jsonl";
    static final String ROTATED_PREFIX = "shapes-";
    private static final Logger LOG = LoggerFactory.getLogger(CaptureLog.class);
    private static final long MAX_QUEUED_BYTES = 64L << 20;

    private final Path dir;
    private final long maxBytes;
    private final int keep;
    private final ThreadPoolExecutor writer;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private OutputStream out;
    private long size;

    public CaptureLog(Path dir, long maxBytes, int keep) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.keep = keep;
        Files.createDirectories(dir);
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024), r -> {
            Thread t = new Thread(r, "sluice-cache-capture");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> dropped.increment());
    }

    /**
     * Queues a line made later on the writer thread ({@code line} may return null: nothing to write).
     *
     * @param bytes the request bytes the line's maker holds on to until it runs
     */
    public void submit(long bytes, Supplier<String> line) {
        if (queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes);
            dropped.increment();
            return;
        }
        writer.execute(() -> {
            try {
                String text = line.get();
                if (text != null) {
                    append(text);
                }
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.debug("capture line dropped: {}", e.toString());
            } finally {
                queuedBytes.addAndGet(-bytes);
            }
        });
    }

    private void append(String line) {
        byte[] b = (line + "\n").getBytes(UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + b.length > maxBytes) {
                rotate();
            }
            out.write(b);
            out.flush();
            size += b.length;
            written.increment();
        } catch (IOException e) {
            dropped.increment();
            LOG.warn("cache capture: cannot write {}: {}", dir.resolve(CURRENT), e.getMessage());
            closeQuietly();
        }
    }

    private void open() throws IOException {
        Path current = dir.resolve(CURRENT);
        out = Files.newOutputStream(current, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(current);
    }

    private void rotate() throws IOException {
        closeQuietly();
        Path target = dir.resolve(ROTATED_PREFIX + System.currentTimeMillis() + ".jsonl");
        for (int n = 1; Files.exists(target); n++) {
            target = dir.resolve(ROTATED_PREFIX + System.currentTimeMillis() + "-" + n + ".jsonl");
        }
        Files.move(dir.resolve(CURRENT), target);
        List<Path> rotated = new ArrayList<>(CaptureFiles.rotated(dir));
        while (rotated.size() > keep) {
            Files.deleteIfExists(rotated.removeFirst());
        }
        open();
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the capture: {}", e.getMessage());
            }
            out = null;
        }
    }

    public Path dir() {
        return dir;
    }

    public long dropped() {
        return dropped.sum();
    }

    public long written() {
        return written.sum();
    }

    /** Waits until everything queued so far is written (tests, export). */
    public void drain() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("capture writer did not drain: " + e, e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
