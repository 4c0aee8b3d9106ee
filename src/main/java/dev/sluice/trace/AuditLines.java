package dev.sluice.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reading an audit file as the writer wrote it: raw lines (bytes, so a line that is not valid UTF-8
 * is checked like any other instead of failing the decoder), the chain value at each line's end, and
 * the rotated files that precede it. Shared by the verifier and the writer's restart.
 */
final class AuditLines implements AutoCloseable {
    /** The end of a keyed line: {@code ,"hmac":"<64 hex>"}}. */
    static final byte[] KEYED = ",\"hmac\":\"".getBytes(StandardCharsets.US_ASCII);
    /** The end of a line written before the chain was keyed: {@code ,"chain":"<64 hex>"}}. */
    static final byte[] LEGACY = ",\"chain\":\"".getBytes(StandardCharsets.US_ASCII);
    static final String GENESIS = "0".repeat(64);
    /** No line the gateway writes comes near this (bodies are cut at 64 KB); a longer one is not read whole. */
    static final int MAX_LINE = 16 * 1024 * 1024;

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkAt;
    private int chunkLen;
    private byte[] buf = new byte[8192];
    private int len;
    private boolean tooLong;

    private AuditLines(Path file) throws IOException {
        this.in = Files.newInputStream(file);
    }

    static AuditLines open(Path file) throws IOException {
        return new AuditLines(file);
    }

    /** Reads the next line (without its newline) into {@link #bytes()}/{@link #length()}; false at the end. */
    boolean next() throws IOException {
        len = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (chunkAt == chunkLen) {
                chunkLen = in.read(chunk);
                chunkAt = 0;
                if (chunkLen <= 0) {
                    chunkLen = 0;
                    return any;
                }
            }
            any = true;
            int from = chunkAt;
            int end = from;
            while (end < chunkLen && chunk[end] != '\n') {
                end++;
            }
            keep(from, end);
            chunkAt = end < chunkLen ? end + 1 : end;
            if (end < chunkLen) {
                return true;
            }
        }
    }

    /** Appends chunk[from, end) to the line, up to {@link #MAX_LINE} bytes (the rest only marks it too long). */
    private void keep(int from, int end) {
        int n = Math.min(end - from, MAX_LINE - len);
        if (n < end - from) {
            tooLong = true;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(MAX_LINE, Math.max(buf.length * 2, len + n)));
        }
        System.arraycopy(chunk, from, buf, len, n);
        len += n;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    boolean tooLong() {
        return tooLong;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * Where a line's chain field starts, or -1 when it does not end in exactly {@code ,"hmac":"<64 hex>"}} or
     * {@code ,"chain":"<64 hex>"}}; {@link #keyed} tells which.
     */
    static int tail(byte[] line, int len) {
        int at = len - KEYED.length - 64 - 2;
        if (at >= 0 && startsAt(line, at, KEYED) && hexEnd(line, at + KEYED.length, len)) {
            return at;
        }
        at = len - LEGACY.length - 64 - 2;
        return at >= 0 && startsAt(line, at, LEGACY) && hexEnd(line, at + LEGACY.length, len) ? at : -1;
    }

    /** True when the tail found at {@code at} is a keyed one. */
    static boolean keyed(byte[] line, int at) {
        return line[at + 2] == 'h';
    }

    /** The 64-digit chain value at the end of a line whose tail is at {@code at}. */
    static String value(byte[] line, int len) {
        return new String(line, len - 66, 64, StandardCharsets.US_ASCII);
    }

    private static boolean startsAt(byte[] line, int at, byte[] what) {
        return Arrays.equals(line, at, at + what.length, what, 0, what.length);
    }

    private static boolean hexEnd(byte[] line, int from, int len) {
        for (int i = from; i < from + 64; i++) {
            byte c = line[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return line[len - 2] == '"' && line[len - 1] == '}';
    }

    /** The rotated files of {@code file} ({@code <name>.<millis>}), oldest first. */
    static List<Path> rotated(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String prefix = file.getFileName() + ".";
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && p.getFileName().toString().substring(prefix.length()).matches("\\d{1,18}"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(prefix.length()))))
                    .toList();
        }
    }
}
