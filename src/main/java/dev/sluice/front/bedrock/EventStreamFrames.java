package dev.sluice.front.bedrock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Writes {@code application/vnd.amazon.eventstream} frames, as Bedrock's InvokeModelWithResponseStream sends them:
 *
 * <pre>
 *   total length u32 | headers length u32 | prelude CRC32 (of the 8 bytes before it)
 *   headers: name length u8, name, type u8 (7 = string), value length u16, value ...
 *   payload
 *   message CRC32 (of every byte before it)
 * </pre>
 * All numbers big-endian. The header block of a {@code chunk} event is the same for every frame, so it is built once.
 */
final class EventStreamFrames {
    private static final byte STRING = 7;
    /** {@code :event-type chunk}, {@code :content-type application/json}, {@code :message-type event}. */
    private static final byte[] CHUNK_HEADERS = headers(":event-type", "chunk", ":content-type", "application/json",
            ":message-type", "event");
    private static final byte[] BYTES_OPEN = "{\"bytes\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

    private EventStreamFrames() {
    }

    /** A {@code chunk} event whose payload is {@code {"bytes":"<base64 of json>"}}, appended to {@code out}. */
    static void chunk(Buffer out, byte[] json, int off, int len) {
        byte[] b64 = java.util.Base64.getEncoder().encode(java.nio.ByteBuffer.wrap(json, off, len)).array();
        byte[] payload = new byte[BYTES_OPEN.length + b64.length + BYTES_CLOSE.length];
        System.arraycopy(BYTES_OPEN, 0, payload, 0, BYTES_OPEN.length);
        System.arraycopy(b64, 0, payload, BYTES_OPEN.length, b64.length);
        System.arraycopy(BYTES_CLOSE, 0, payload, BYTES_OPEN.length + b64.length, BYTES_CLOSE.length);
        frame(out, CHUNK_HEADERS, payload);
    }

    /** An {@code exception} frame: {@code :exception-type} (Bedrock's camel-case name) and a {@code {"message"}} payload. */
    static void exception(Buffer out, String exceptionType, byte[] payload) {
        frame(out, headers(":exception-type", exceptionType, ":content-type", "application/json",
                ":message-type", "exception"), payload);
    }

    static void frame(Buffer out, byte[] headers, byte[] payload) {
        int total = 12 + headers.length + payload.length + 4;
        byte[] frame = new byte[total];
        putInt(frame, 0, total);
        putInt(frame, 4, headers.length);
        CRC32 crc = new CRC32();
        crc.update(frame, 0, 8);
        putInt(frame, 8, (int) crc.getValue());
        System.arraycopy(headers, 0, frame, 12, headers.length);
        System.arraycopy(payload, 0, frame, 12 + headers.length, payload.length);
        crc.update(frame, 8, total - 12); // the message CRC runs on from the prelude's: it covers every byte before it
        putInt(frame, total - 4, (int) crc.getValue());
        out.appendBytes(frame);
    }

    /** String headers, in order, from name/value pairs of ASCII text (names under 256 bytes, values under 65,536). */
    static byte[] headers(String... nameValues) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96);
        for (int i = 0; i < nameValues.length; i += 2) {
            byte[] name = nameValues[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = nameValues[i + 1].getBytes(StandardCharsets.UTF_8);
            out.write(name.length);
            out.writeBytes(name);
            out.write(STRING);
            out.write(value.length >>> 8);
            out.write(value.length);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
