package dev.sluice.translate;

import dev.sluice.wire.SseEvent;
import java.nio.charset.StandardCharsets;

/**
 * Builds canonical SSE events ({@code event: <type>\ndata: <json>\n\n}) for decoders whose upstream
 * does not speak SSE itself (Bedrock's binary frames, OpenAI's chunks). The data offsets are set so
 * stages read the payload without re-parsing the frame, as they do for relayed Anthropic events.
 */
public final class CanonicalEvents {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);

    private CanonicalEvents() {
    }

    /**
     * One event whose data is {@code json[off, off+len)}. The data must be one line: a line break in it would end
     * the event early and let the rest of the bytes frame events of their own (a Bedrock chunk carrying raw
     * {@code \n\n} showed a client an extra message_stop). So every CR or LF in the name and the data becomes a space:
     * outside strings JSON reads them as whitespace, and inside a string a raw one is not valid JSON anyway.
     */
    public static SseEvent of(String type, byte[] json, int off, int len) {
        byte[] name = type.getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[EVENT.length + name.length + DATA.length + len + 2];
        int at = 0;
        System.arraycopy(EVENT, 0, raw, at, EVENT.length);
        at += EVENT.length;
        System.arraycopy(name, 0, raw, at, name.length);
        at += name.length;
        System.arraycopy(DATA, 0, raw, at, DATA.length);
        at += DATA.length;
        int dataStart = at;
        System.arraycopy(json, off, raw, at, len);
        at += len;
        oneLine(raw, EVENT.length, EVENT.length + name.length);
        oneLine(raw, dataStart, at);
        raw[at] = '\n';
        raw[at + 1] = '\n';
        return new SseEvent(raw, type, dataStart, dataStart + len);
    }

    private static void oneLine(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                b[i] = ' ';
            }
        }
    }

    public static SseEvent of(String type, byte[] json) {
        return of(type, json, 0, json.length);
    }

    public static SseEvent of(String type, String json) {
        return of(type, json.getBytes(StandardCharsets.UTF_8));
    }
}
