package dev.sluice.wire;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event as it came from the upstream: its exact bytes (relayed unchanged) plus
 * where its {@code event:} name and {@code data:} payload sit inside them, so hooks can read the
 * payload without copying or re-parsing the frame.
 *
 * @param raw       the whole frame including its terminating blank line
 * @param type      the {@code event:} name, or {@code message} when absent (the SSE default)
 * @param dataStart offset of the data payload in {@code raw}
 * @param dataEnd   end offset (exclusive) of the data payload
 */
public record SseEvent(byte[] raw, String type, int dataStart, int dataEnd) {
    public String data() {
        return new String(raw, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8);
    }

    public int dataLength() {
        return dataEnd - dataStart;
    }
}
