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
    /**
     * A keep-alive: a {@code ping}, or a frame with neither an {@code event:} name nor data (an SSE comment
     * such as {@code : OPENROUTER PROCESSING}). It says the upstream is alive, not how its answer starts.
     */
    public boolean keepAlive() {
        return "ping".equals(type) || dataStart == dataEnd && "message".equals(type);
    }

    /** A new event {@code event: <type>\ndata: <data>\n\n}, for events the gateway makes itself. */
    public static SseEvent of(String type, String data) {
        byte[] raw = ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
        int start = 7 + type.getBytes(StandardCharsets.UTF_8).length + 7;
        return new SseEvent(raw, type, start, raw.length - 2);
    }

    /**
     * A {@code content_block_delta} the gateway writes itself (a delta rewritten by the cache's templater or by
     * upstream normalisation): {@code delta: {type: <deltaType>, <field>: <piece>}} at block {@code index}.
     */
    public static SseEvent contentDelta(int index, String deltaType, String field, String piece) {
        java.io.StringWriter data = new java.io.StringWriter(piece.length() + 96);
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.FACTORY.createGenerator(data)) {
            g.writeStartObject();
            g.writeStringField("type", "content_block_delta");
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("delta");
            g.writeStringField("type", deltaType);
            g.writeStringField(field, piece);
            g.writeEndObject();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return of("content_block_delta", data.toString());
    }

    public String data() {
        return new String(raw, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8);
    }

    public int dataLength() {
        return dataEnd - dataStart;
    }
}
