package dev.sluice.record;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Append-only journal files: numbered segments {@code 000000000001.jnl}, ... in one directory.
 *
 * <p>A line is {@code <crc32c of payload, 8 hex digits> <payload>\n}; the payload is one JSON record, which
 * never contains a raw newline. The checksum finds torn or zero-filled lines a host crash can leave; they are
 * skipped and counted, never mistaken for records.
 *
 * <p>Threads: writes and rotation are called under the ledger's lock; reads and deletes only by the
 * ledger's writer thread; {@link #sync()} by the sync thread. {@code currentId} and {@code writtenEnd} are
 * volatile so the other threads can see the end without the lock.
 *
 * <p>I/O goes through {@link RandomAccessFile}, not {@code FileChannel}: a FileChannel closes itself for
 * every thread when the thread using it is interrupted, so one interrupted request thread inside
 * {@code append} would break the journal for all. Writes use one file handle, reads their own.
 */
final class Journal implements Closeable {

    static final String SUFFIX = ".jnl";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String LOCK_FILE = "journal.lock";
    private static final int READ_CHUNK = 256 * 1024;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Segments closed for writing, with their final sizes; read and deleted by the writer thread only. */
    private final TreeMap<Long, Long> sealed = new TreeMap<>();
    private volatile long sealedBytes;

    private volatile long currentId;
    private volatile RandomAccessFile current;
    private volatile long writtenEnd;
    private volatile long syncedEnd;
    private boolean currentClosed;

    /** Set by tests to make every write fail as on a full disk. */
    private volatile boolean failWritesForTest;

    private long readerId = -1;
    private RandomAccessFile reader;

    private Journal(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens {@code dir}, takes its lock, treats existing segments as sealed, and starts a new segment after them. */
    static Journal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another ledger in this same JVM
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("ledger journal " + dir + " is in use by another process (expected: one gateway per data dir)");
        }
        Journal j = new Journal(dir, lockChannel, lock);
        long last = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Long id = segmentId(p);
                if (id != null) {
                    j.sealed.put(id, Files.size(p));
                    last = Math.max(last, id);
                }
            }
        }
        j.sealedBytes = j.sealed.values().stream().mapToLong(Long::longValue).sum();
        j.openCurrent(last + 1);
        return j;
    }

    /** Frames a payload as one journal line. Pure; call it outside the lock. */
    static ByteBuffer frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        byte[] line = new byte[payload.length + 10];
        long value = crc.getValue();
        for (int i = 7; i >= 0; i--) {
            line[i] = (byte) HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        line[8] = ' ';
        System.arraycopy(payload, 0, line, 9, payload.length);
        line[line.length - 1] = '\n';
        return ByteBuffer.wrap(line);
    }

    /** Appends a framed line to the current segment (page cache, no fsync); returns the position after it. */
    JournalPosition write(ByteBuffer line) throws IOException {
        if (failWritesForTest) {
            throw new IOException("No space left on device (test)");
        }
        long start = writtenEnd;
        try {
            current.write(line.array(), line.arrayOffset(), line.limit());
        } catch (IOException e) {
            // A partial line may sit past writtenEnd, and readers never read past writtenEnd. Cut it so the
            // next line starts clean and a replay after a crash now does not see half a line.
            try {
                current.setLength(start);
                current.seek(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        writtenEnd = start + line.limit();
        return new JournalPosition(currentId, writtenEnd);
    }

    /** Test hook: every write fails as on a full disk while {@code full} (no root, no small file system needed). */
    void diskFullForTest(boolean full) {
        failWritesForTest = full;
    }

    /** The position after the last complete line written. */
    JournalPosition end() {
        return new JournalPosition(currentId, writtenEnd);
    }

    /** The position where the oldest segment on disk starts: where replay begins. */
    JournalPosition start() {
        return sealed.isEmpty() ? new JournalPosition(currentId, 0) : new JournalPosition(sealed.firstKey(), 0);
    }

    long currentSize() {
        return writtenEnd;
    }

    long bytes() {
        return sealedBytes + writtenEnd;
    }

    boolean hasUnsynced() {
        return syncedEnd < writtenEnd;
    }

    /** Forces the current segment to disk. Safe beside concurrent writes; a rotation in between is harmless. */
    void sync() throws IOException {
        long end = writtenEnd;
        RandomAccessFile file = current;
        try {
            file.getFD().sync();
            if (file == current) {
                syncedEnd = Math.max(syncedEnd, end);
            }
        } catch (IOException e) {
            if (file == current) {
                throw e;
            }
            // rotated and closed meanwhile: the rotation synced the old segment, or it was fully committed
        }
    }

    /**
     * Seals the current segment and starts the next. Call under the ledger's lock; the returned file is
     * the old segment, which the caller syncs (unless already committed) and closes outside the lock.
     */
    RandomAccessFile rotate() throws IOException {
        RandomAccessFile old = current;
        long oldId = currentId;
        long oldEnd = writtenEnd;
        // The next segment first: when it cannot be created (no descriptor left, no inode), nothing has changed and the
        // live segment stays live. Sealed first, it was read up to its size at the failure only, again and again.
        RandomAccessFile next = newSegment(oldId + 1);
        sealed.put(oldId, oldEnd);
        sealedBytes += oldEnd;
        useCurrent(oldId + 1, next);
        return old;
    }

    /** Deletes every sealed segment that lies wholly before {@code committed}. */
    void deleteBefore(JournalPosition committed) throws IOException {
        while (!sealed.isEmpty()) {
            Map.Entry<Long, Long> first = sealed.firstEntry();
            boolean consumed = first.getKey() < committed.segment()
                    || (first.getKey() == committed.segment() && committed.offset() >= first.getValue());
            if (!consumed) {
                return;
            }
            if (readerId == first.getKey()) {
                closeReader();
            }
            Files.deleteIfExists(segmentPath(first.getKey()));
            sealed.pollFirstEntry();
            sealedBytes -= first.getValue();
        }
    }

    /** Lines read from the journal, the position after the last one, and how many corrupt lines were skipped. */
    record Read(List<byte[]> payloads, List<JournalPosition> ends, JournalPosition next, int corrupt) {
    }

    /**
     * Reads up to {@code max} lines from {@code from}, never past {@code limit} (an {@link #end()} snapshot).
     * Crosses segment boundaries; the returned {@code next} may advance even when no line was read (an
     * exhausted segment, a skipped corrupt line).
     */
    Read read(JournalPosition from, JournalPosition limit, int max) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        List<JournalPosition> ends = new ArrayList<>();
        int corrupt = 0;
        long seg = from.segment();
        long off = from.offset();
        if (!sealed.containsKey(seg) && seg != limit.segment()) {
            // The position's segment is gone (deleted once fully committed): continue at the next one.
            Long next = sealed.higherKey(seg);
            seg = next != null ? next : limit.segment();
            off = 0;
        }
        while (payloads.size() < max) {
            Long sealedSize = sealed.get(seg);
            long size = sealedSize != null ? sealedSize : (seg == limit.segment() ? limit.offset() : -1);
            if (size < 0) {
                break; // a segment past the limit
            }
            if (off >= size) {
                if (sealedSize == null) {
                    break; // caught up with the live segment
                }
                Long next = sealed.higherKey(seg);
                seg = next != null ? next : Math.min(currentId, limit.segment());
                off = 0;
                if (sealed.get(seg) == null && seg != limit.segment()) {
                    break;
                }
                continue;
            }
            ByteBuffer chunk = readChunk(seg, off, (int) Math.min(READ_CHUNK, size - off));
            int consumed = 0;
            int lineStart = 0;
            byte[] data = chunk.array();
            int n = chunk.limit();
            for (int i = 0; i < n && payloads.size() < max; i++) {
                if (data[i] != '\n') {
                    continue;
                }
                byte[] payload = checkedPayload(data, lineStart, i);
                if (payload == null) {
                    corrupt++;
                } else {
                    payloads.add(payload);
                    ends.add(new JournalPosition(seg, off + i + 1));
                }
                lineStart = i + 1;
                consumed = i + 1;
            }
            if (consumed == 0) {
                if (off + n >= size) {
                    // No newline before the end of a sealed segment: a torn last write from a crash. Skip it.
                    corrupt++;
                    off = size;
                    continue;
                }
                // A line longer than the chunk: read again with the whole rest of the segment.
                chunk = readChunk(seg, off, (int) Math.min(Integer.MAX_VALUE - 16, size - off));
                int nl = indexOf(chunk.array(), chunk.limit());
                if (nl < 0) {
                    corrupt++;
                    off = size;
                    continue;
                }
                byte[] payload = checkedPayload(chunk.array(), 0, nl);
                if (payload == null) {
                    corrupt++;
                } else {
                    payloads.add(payload);
                    ends.add(new JournalPosition(seg, off + nl + 1));
                }
                consumed = nl + 1;
            }
            off += consumed;
        }
        return new Read(payloads, ends, new JournalPosition(seg, off), corrupt);
    }

    private static int indexOf(byte[] data, int n) {
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The payload of line {@code data[start, end)} if its checksum holds, else null. */
    private static byte[] checkedPayload(byte[] data, int start, int end) {
        if (end - start < 10 || data[start + 8] != ' ') {
            return null;
        }
        long expected;
        try {
            expected = Long.parseLong(new String(data, start, 8, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(data, start + 9, end - start - 9);
        if (crc.getValue() != expected) {
            return null;
        }
        byte[] payload = new byte[end - start - 9];
        System.arraycopy(data, start + 9, payload, 0, payload.length);
        return payload;
    }

    private ByteBuffer readChunk(long seg, long off, int len) throws IOException {
        if (readerId != seg) {
            closeReader();
            reader = new RandomAccessFile(segmentPath(seg).toFile(), "r");
            readerId = seg;
        }
        byte[] data = new byte[len];
        reader.seek(off);
        int n = 0;
        while (n < len) {
            int r = reader.read(data, n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return ByteBuffer.wrap(data, 0, n);
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerId = -1;
        }
    }

    /** Deletes every segment, for a clean shutdown when everything is committed. Writer thread, under the lock. */
    void deleteAll() throws IOException {
        closeReader();
        for (Long id : sealed.keySet()) {
            Files.deleteIfExists(segmentPath(id));
        }
        sealed.clear();
        sealedBytes = 0;
        current.close();
        currentClosed = true;
        Files.deleteIfExists(segmentPath(currentId));
        writtenEnd = 0;
    }

    /** Forces the directory so a newly created segment's name survives a host crash. */
    void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not supported on every platform; the segment data itself is still forced by sync().
        }
    }

    /** Closes the files without syncing or deleting anything and releases the lock: what a killed process leaves. */
    void abandon() throws IOException {
        closeReader();
        if (!currentClosed) {
            current.close();
            currentClosed = true;
        }
        lock.release();
        lockChannel.close();
    }

    @Override
    public void close() throws IOException {
        closeReader();
        if (!currentClosed) {
            current.getFD().sync();
            current.close();
        }
        lock.release();
        lockChannel.close();
    }

    Path dir() {
        return dir;
    }

    private void openCurrent(long id) throws IOException {
        useCurrent(id, newSegment(id));
    }

    private RandomAccessFile newSegment(long id) throws IOException {
        Path p = segmentPath(id);
        if (Files.exists(p)) {
            throw new IOException("journal segment " + p + " already exists (expected: a new segment number)");
        }
        return new RandomAccessFile(p.toFile(), "rw");
    }

    private void useCurrent(long id, RandomAccessFile file) {
        current = file;
        writtenEnd = 0;
        syncedEnd = 0;
        currentId = id; // last: a reader that sees the new id also sees the new channel
    }

    private Path segmentPath(long id) {
        return dir.resolve(String.format("%012d%s", id, SUFFIX));
    }

    private static Long segmentId(Path p) {
        String name = p.getFileName().toString();
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        try {
            return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
