package dev.sluice.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream into server-sent events at blank lines ({@code \n\n} or {@code \r\n\r\n}),
 * whatever the network's chunking, keeping each event's exact bytes. Only the {@code event:} name
 * and the first {@code data:} line are located: Anthropic sends one data line per event. A byte order mark
 * opening the stream is dropped, as the SSE specification says a reader must: read as part of the first field's
 * name, it turned the {@code message_start} into a nameless event and the answer into one no client can use.
 */
public final class SseFramer {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** Allocated on the first chunk: a decoder made for a whole (non-streamed) answer never needs it. */
    private byte[] buf = new byte[0];
    private int len;
    private int scanFrom;
    /** Whether the stream's first bytes were checked for a byte order mark. */
    private boolean bomChecked;

    /** Adds a chunk and returns the events it completed (possibly none). */
    public List<SseEvent> feed(Buffer chunk) {
        List<SseEvent> events = new ArrayList<>(4);
        feed(chunk, events);
        return events;
    }

    /** Adds a chunk and appends the events it completed to {@code events}. */
    public void feed(Buffer chunk, List<SseEvent> events) {
        int n = chunk.length();
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, 4096), len + n));
        }
        chunk.getBytes(0, n, buf, len);
        len += n;
        if (!bomChecked && !dropBom()) {
            return; // two bytes or fewer, all of a byte order mark so far: wait for the next chunk
        }
        int start = 0;
        for (int i = Math.max(scanFrom, 1); i < len; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            int end = terminatorEnd(i);
            if (end > 0) {
                events.add(parse(Arrays.copyOfRange(buf, start, end)));
                start = end;
                i = end - 1;
            }
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
        }
        scanFrom = len;
    }

    /** Drops a UTF-8 byte order mark opening the stream; false while the bytes so far could still begin one. */
    private boolean dropBom() {
        int prefix = 0;
        while (prefix < Math.min(len, BOM.length) && buf[prefix] == BOM[prefix]) {
            prefix++;
        }
        if (prefix == len && len < BOM.length) {
            return false;
        }
        bomChecked = true;
        if (prefix == BOM.length) {
            System.arraycopy(buf, BOM.length, buf, 0, len - BOM.length);
            len -= BOM.length;
        }
        return true;
    }

    /** Bytes left after the last complete event (an unterminated tail when the stream ends). */
    public byte[] remainder() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * If the newline at {@code i} ends a blank line, the index just past it; else -1. The line
     * before may end in LF or CRLF and the blank line itself be LF or CRLF: {@code \n\n},
     * {@code \r\n\n}, {@code \n\r\n} and {@code \r\n\r\n} all end an event.
     */
    private int terminatorEnd(int i) {
        if (buf[i - 1] == '\n') {
            return i + 1;
        }
        if (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n') {
            return i + 1;
        }
        return -1;
    }

    public static SseEvent parse(byte[] raw) {
        String type = "message";
        int dataStart = -1;
        int dataEnd = -1;
        int lineStart = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i < raw.length && raw[i] != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && raw[i - 1] == '\r' ? i - 1 : i;
            if (startsWith(raw, lineStart, lineEnd, "event:")) {
                type = new String(raw, valueStart(raw, lineStart + 6, lineEnd), lineEnd - valueStart(raw, lineStart + 6, lineEnd),
                        StandardCharsets.UTF_8);
            } else if (dataStart < 0 && startsWith(raw, lineStart, lineEnd, "data:")) {
                dataStart = valueStart(raw, lineStart + 5, lineEnd);
                dataEnd = lineEnd;
            }
            lineStart = i + 1;
        }
        return dataStart < 0 ? new SseEvent(raw, type, 0, 0) : new SseEvent(raw, type, dataStart, dataEnd);
    }

    private static int valueStart(byte[] raw, int from, int lineEnd) {
        return from < lineEnd && raw[from] == ' ' ? from + 1 : from;
    }

    private static boolean startsWith(byte[] raw, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (raw[from + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
