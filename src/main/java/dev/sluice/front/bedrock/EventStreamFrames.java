package dev.sluice.front.bedrock;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Writes {@code application/vnd.amazon.eventstream} frames as Bedrock's InvokeModelWithResponseStream sends them, with
 * the AWS SDK's own event-stream codec (the one {@code provider.bedrock.BedrockDecoder} reads them with): it owns the
 * binary framing, the prelude and message CRC32s and the header encoding. Here only what goes in a frame: a
 * {@code chunk} event's {@code {"bytes":"<base64 of one Anthropic event>"}}, or an {@code exception}.
 */
final class EventStreamFrames {
    private static final byte[] BYTES_OPEN = "{\"bytes\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES_CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);
    /** {@code :event-type chunk}, {@code :content-type application/json}, {@code :message-type event}. */
    private static final Map<String, HeaderValue> CHUNK = headers(":event-type", "chunk", ":content-type",
            "application/json", ":message-type", "event");

    private EventStreamFrames() {
    }

    /** A {@code chunk} event whose payload is {@code {"bytes":"<base64 of json>"}}, appended to {@code out}. */
    static void chunk(Buffer out, byte[] json, int off, int len) {
        byte[] b64 = Base64.getEncoder().encode(java.nio.ByteBuffer.wrap(json, off, len)).array();
        byte[] payload = new byte[BYTES_OPEN.length + b64.length + BYTES_CLOSE.length];
        System.arraycopy(BYTES_OPEN, 0, payload, 0, BYTES_OPEN.length);
        System.arraycopy(b64, 0, payload, BYTES_OPEN.length, b64.length);
        System.arraycopy(BYTES_CLOSE, 0, payload, BYTES_OPEN.length + b64.length, BYTES_CLOSE.length);
        frame(out, CHUNK, payload);
    }

    /** An {@code exception} frame: {@code :exception-type} (Bedrock's camel-case name) and a {@code {"message"}} payload. */
    static void exception(Buffer out, String exceptionType, byte[] payload) {
        frame(out, headers(":exception-type", exceptionType, ":content-type", "application/json",
                ":message-type", "exception"), payload);
    }

    private static void frame(Buffer out, Map<String, HeaderValue> headers, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 128);
        new Message(headers, payload).encode(bytes);
        out.appendBytes(bytes.toByteArray());
    }

    /** String headers, in the order given, from name/value pairs. */
    private static Map<String, HeaderValue> headers(String... nameValues) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.put(nameValues[i], HeaderValue.fromString(nameValues[i + 1]));
        }
        return h;
    }
}
